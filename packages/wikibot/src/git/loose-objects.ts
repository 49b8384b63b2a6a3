import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate, deflateSync } from 'node:zlib';

export type ObjectType = 'blob' | 'tree' | 'commit';

/** Up to this size an object is compressed and written synchronously (tens of microseconds). */
const SYNC_WRITE_BYTES = 256 * 1024;
const deflateAsync = promisify(deflate);

/**
 * Writes objects straight into the repository as git does: the id is the hash of `<type> <size>\0`
 * and the content, the file `objects/<2 hex>/<rest>` holds them zlib-compressed, written to a
 * temporary file in objects/ and renamed into place, so a reader sees a whole object or none. An
 * object's name is its content, so writers racing on one object write the same bytes. No git
 * process, no round trip: a commit costs a few small file writes.
 */
export class LooseObjectStore {
  private readonly objectsDir: string;
  private readonly algorithm: 'sha1' | 'sha256';
  private counter = 0;

  constructor(gitDir: string, idLength: number) {
    this.objectsDir = join(gitDir, 'objects');
    this.algorithm = idLength === 64 ? 'sha256' : 'sha1';
  }

  /** Writes the object unless it is already there as a loose object; returns its id. */
  async write(type: ObjectType, content: Buffer): Promise<string> {
    const header = Buffer.from(`${type} ${content.length}\0`, 'latin1');
    const id = createHash(this.algorithm).update(header).update(content).digest('hex');
    const dir = join(this.objectsDir, id.slice(0, 2));
    const file = join(dir, id.slice(2));
    if (existsSync(file)) return id;
    const raw = Buffer.concat([header, content]);
    // The same temporary name pattern as git's, which `git prune` knows to clean up after a crash.
    const temp = join(this.objectsDir, `tmp_obj_wikibot_${process.pid}_${this.counter++}`);
    try {
      if (raw.length <= SYNC_WRITE_BYTES) writeFileSync(temp, deflateSync(raw), { mode: 0o444 });
      else await writeFile(temp, await deflateAsync(raw), { mode: 0o444 });
      moveIntoPlace(temp, file, dir);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    return id;
  }
}

/** Renames `temp` to `file`, making its fan-out directory the first time it is missing. */
function moveIntoPlace(temp: string, file: string, dir: string): void {
  try {
    renameSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
    renameSync(temp, file);
  }
}
