import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentGitProcess, readLines } from './persistent-process.js';
import { FULL_OBJECT_ID, hasControlCharacter } from './validation.js';

/** Files staged and handed to git at once, well below any open-file limit. */
const STAGING_BATCH = 128;
/**
 * Up to this size a staging file is written synchronously: for page-sized content that costs tens of
 * microseconds, while the thread-pool round trips of async fs double the latency of a commit.
 */
const SYNC_WRITE_BYTES = 256 * 1024;

/**
 * Writes loose objects of one type through a long-lived `git hash-object -w --stdin-paths --no-filters`,
 * so a commit spawns no hash-object. The process takes file paths, so content is staged in temp files
 * and removed once hashed. `--no-filters`: content is stored exactly as given, whatever the config says.
 */
export class ObjectWriter {
  private readonly process: PersistentGitProcess;
  /** Staging files are named `<prefix><n>` directly in the temp directory: no directory to leak. */
  private readonly stagingPrefix: string;
  private counter = 0;

  constructor(gitDir: string, type: 'blob' | 'commit') {
    this.process = new PersistentGitProcess(
      gitDir,
      ['hash-object', '-t', type, '-w', '--no-filters', '--stdin-paths'],
      { retryOnExit: true },
    );
    this.stagingPrefix = join(tmpdir(), `wikibot-stage-${process.pid}-${randomBytes(6).toString('hex')}-`);
  }

  /** Writes every content as an object; returns their ids in order. */
  async write(contents: readonly Buffer[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < contents.length; i += STAGING_BATCH) {
      ids.push(...(await this.writeBatch(contents.slice(i, i + STAGING_BATCH))));
    }
    return ids;
  }

  close(): Promise<void> {
    return this.process.close();
  }

  private async writeBatch(contents: readonly Buffer[]): Promise<string[]> {
    // The paths travel as lines on git's stdin.
    if (hasControlCharacter(this.stagingPrefix)) {
      throw new Error(`unusable temp directory ${JSON.stringify(tmpdir())}`);
    }
    const files = contents.map(() => `${this.stagingPrefix}${this.counter++}`);
    try {
      await Promise.all(files.map((file, i) => stage(file, contents[i]!)));
      const input = files.map((file) => `${file}\n`).join('');
      const ids = await this.process.request(input, readLines(files.length));
      const unexpected = ids.find((id) => !FULL_OBJECT_ID.test(id));
      if (unexpected !== undefined) {
        throw new Error(`unexpected git hash-object output: ${JSON.stringify(unexpected)}`);
      }
      return ids;
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
  }
}

async function stage(file: string, content: Buffer): Promise<void> {
  if (content.length <= SYNC_WRITE_BYTES) writeFileSync(file, content);
  else await writeFile(file, content);
}
