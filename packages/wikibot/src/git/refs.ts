import { readFileSync, type Stats, statSync } from 'node:fs';
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

/** Identity of a file version: inode, size, modification and change times. */
interface Stamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** Compared field by field: called on every request, so no string is built. */
function sameStamp(known: Stamp, stat: Stats): boolean {
  return (
    known.ino === stat.ino &&
    known.size === stat.size &&
    known.mtimeMs === stat.mtimeMs &&
    known.ctimeMs === stat.ctimeMs
  );
}

function stampOf({ ino, size, mtimeMs, ctimeMs }: Stats): Stamp {
  return { ino, size, mtimeMs, ctimeMs };
}

interface PackedRefsSnapshot {
  stamp: Stamp;
  refs: Map<string, string>;
}

/**
 * Reads where a ref points straight from the files backend: the loose ref file, else `packed-refs`
 * (parsed once per file version). No git process. Git replaces both files by rename, so a read sees
 * a whole old or whole new value; `pack-refs` writes packed-refs before it deletes the loose file.
 */
export class RefReader {
  private packed: PackedRefsSnapshot | undefined;
  /** The last loose ref read, by ref name, with the stamp of the file it came from. */
  private readonly loose = new Map<string, { stamp: Stamp; id: string }>();

  constructor(private readonly gitDir: string) {}

  /**
   * The object id `ref` (e.g. `refs/heads/main`) points at, or null if it does not exist. Called before
   * every request, so it costs one `stat` when nothing changed: the file is read only when its stamp
   * (inode, size, mtime) moved, and a missing loose ref is no exception.
   */
  resolve(ref: string): string | null {
    const path = join(this.gitDir, ref);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile()) {
      const known = this.loose.get(ref);
      if (known && sameStamp(known.stamp, stat)) return known.id;
      let id: string;
      try {
        id = readFileSync(path, 'utf8').trim();
      } catch (error) {
        if (!isMissing(error)) throw error;
        return this.resolve(ref); // replaced or packed between stat and read
      }
      if (!FULL_OBJECT_ID.test(id)) throw new Error(`${this.gitDir}: ${ref} does not hold an object id`);
      this.loose.set(ref, { stamp: stampOf(stat), id });
      return id;
    }
    this.loose.delete(ref);
    return this.packedRefs().get(ref) ?? null;
  }

  private packedRefs(): Map<string, string> {
    const path = join(this.gitDir, 'packed-refs');
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) {
      this.packed = undefined;
      return new Map();
    }
    if (this.packed && sameStamp(this.packed.stamp, stat)) return this.packed.refs;
    this.packed = { stamp: stampOf(stat), refs: parsePackedRefs(readFileSync(path, 'utf8')) };
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
