import type { ByteQueue } from './byte-queue.js';
import { GitInputError } from './errors.js';
import { PersistentGitProcess } from './persistent-process.js';
import { hasControlCharacter } from './validation.js';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  sha: string;
  type: ObjectType;
  content: Buffer;
}

const FOUND_HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (blob|tree|commit|tag) (\d+)$/;
const NOT_FOUND_HEADER = / (missing|ambiguous)$/;

/** One `git cat-file --batch` answer: `<sha> <type> <size>\n<content>\n`, or `<name> missing\n`. */
export function readBatchAnswer(queue: ByteQueue): GitObject | null | undefined {
  const end = queue.indexOf(0x0a);
  if (end < 0) return undefined;
  const header = queue.peek(end).toString('utf8');
  const found = FOUND_HEADER.exec(header);
  if (!found) {
    if (!NOT_FOUND_HEADER.test(header)) {
      throw new Error(`unexpected git cat-file output: ${JSON.stringify(header.slice(0, 200))}`);
    }
    queue.skip(end + 1);
    return null;
  }
  const size = Number(found[3]);
  if (queue.length < end + 1 + size + 1) return undefined;
  queue.skip(end + 1);
  const content = queue.take(size);
  queue.skip(1);
  return { sha: found[1]!, type: found[2] as ObjectType, content };
}

/** Reads objects through one long-lived `git cat-file --batch`; never spawns per read. */
export class ObjectReader {
  private readonly process: PersistentGitProcess;

  constructor(gitDir: string) {
    this.process = new PersistentGitProcess(gitDir, ['cat-file', '--batch'], { retryOnExit: true });
  }

  /** `name` is anything cat-file understands (`<sha>`, `<sha>:<path>`, `<sha>^{commit}`); null if absent. */
  read(name: string): Promise<GitObject | null> {
    if (hasControlCharacter(name)) {
      return Promise.reject(new GitInputError('object name contains a control character'));
    }
    return this.process.request(`${name}\n`, readBatchAnswer);
  }

  close(): Promise<void> {
    return this.process.close();
  }
}
