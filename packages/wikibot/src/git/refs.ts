import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FULL_OBJECT_ID } from './validation.js';

/** The branch HEAD points at (`ref: refs/heads/<branch>`), read from the file. */
export function readHeadBranch(gitDir: string): string {
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  const match = /^ref: refs\/heads\/(.+)$/.exec(head);
  if (!match) throw new Error(`${gitDir}: HEAD does not name a branch (${head.slice(0, 80)})`);
  return match[1]!;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

interface PackedRefsSnapshot {
  /** Identity of the file version: inode, size, mtime in ns. */
  stamp: string;
  refs: Map<string, string>;
}

/**
 * Reads where a ref points straight from the files backend: the loose ref file, else `packed-refs`
 * (parsed once per file version). No git process. Git replaces both files by rename, so a read sees
 * a whole old or whole new value; `pack-refs` writes packed-refs before it deletes the loose file.
 */
export class RefReader {
  private packed: PackedRefsSnapshot | undefined;

  constructor(private readonly gitDir: string) {}

  /** The object id `ref` (e.g. `refs/heads/main`) points at, or null if it does not exist. */
  resolve(ref: string): string | null {
    let loose: string | undefined;
    try {
      loose = readFileSync(join(this.gitDir, ref), 'utf8').trim();
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (loose !== undefined) {
      if (!FULL_OBJECT_ID.test(loose)) throw new Error(`${this.gitDir}: ${ref} does not hold an object id`);
      return loose;
    }
    return this.packedRefs().get(ref) ?? null;
  }

  private packedRefs(): Map<string, string> {
    const path = join(this.gitDir, 'packed-refs');
    let stamp: string;
    try {
      const stat = statSync(path, { bigint: true });
      stamp = `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
    } catch (error) {
      if (!isMissing(error)) throw error;
      this.packed = undefined;
      return new Map();
    }
    if (this.packed?.stamp !== stamp) {
      this.packed = { stamp, refs: parsePackedRefs(readFileSync(path, 'utf8')) };
    }
    return this.packed.refs;
  }
}

/** `<id> <refname>` lines; `#` header and `^<id>` peeled lines are skipped. */
export function parsePackedRefs(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    const id = line.slice(0, space);
    if (space > 0 && FULL_OBJECT_ID.test(id)) refs.set(line.slice(space + 1).trimEnd(), id);
  }
  return refs;
}
