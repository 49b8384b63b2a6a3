import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of the files under an object directory (packs, their indexes, loose objects), what
 * `git count-objects -v` adds up, measured with stat calls and no git process. A push's quarantine
 * (receive-pack's `incoming-*`, git's `tmp_objdir-*`) is not part of the repository yet.
 */
export async function objectStoreBytes(objectsDir: string): Promise<number> {
  const walk = async (dir: string, top: boolean): Promise<number> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const sizes = await Promise.all(
      entries.map((entry) => {
        const path = join(dir, entry.name);
        if (top && isQuarantine(entry.name)) return 0;
        if (entry.isDirectory()) return walk(path, false);
        // A file git just removed (a repack finishing) counts as nothing.
        return entry.isFile()
          ? stat(path).then(
              (s) => s.size,
              () => 0,
            )
          : 0;
      }),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  };
  return walk(objectsDir, true);
}

function isQuarantine(name: string): boolean {
  return name.startsWith('incoming-') || name.startsWith('tmp_objdir-');
}
