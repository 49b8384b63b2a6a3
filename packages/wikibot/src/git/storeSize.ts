import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of the files under an object directory (packs, their indexes, loose objects), what
 * `git count-objects -v` adds up, measured with stat calls and no git process. A push's quarantine
 * (receive-pack's `incoming-*`, git's `tmp_objdir-*`) is not part of the repository yet.
 */
export async function objectStoreBytes(objectsDir: string): Promise<number> {
  let total = 0;
  const walk = async (dir: string, top: boolean): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (top && isQuarantine(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, false);
      // A file git just removed (a repack finishing) counts as nothing.
      else if (entry.isFile())
        total += await stat(path).then(
          (s) => s.size,
          () => 0,
        );
    }
  };
  await walk(objectsDir, true);
  return total;
}

function isQuarantine(name: string): boolean {
  return name.startsWith('incoming-') || name.startsWith('tmp_objdir-');
}
