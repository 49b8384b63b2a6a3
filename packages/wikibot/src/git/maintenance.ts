import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from './run-git.js';

/** A repack lock older than this was left by a process that died: it is taken over. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Every chain of commits is written as a small pack, and many packs slow every object lookup. Once
 * this process has written `threshold` packs, a `git repack -d --geometric=2` in a child of its own
 * combines the small packs (and any loose objects, e.g. from other tools) so that pack sizes grow
 * geometrically and their number stays small; one at a time, off the writers' path: writers go on
 * writing packs meanwhile. Safe beside other writers and processes: repack removes a pack or loose
 * object only once a pack holding its objects is in place, and readers find moved objects.
 */
export class Repacker {
  private written = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly gitDir: string,
    private readonly threshold: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Count a pack written; maybe start repacking in the background. */
  packWritten(): void {
    this.written += 1;
    if (this.threshold <= 0 || this.written < this.threshold || this.running) return;
    this.written = 0;
    this.running = this.repack()
      .catch((error: Error) => this.onError(error))
      .finally(() => {
        this.running = undefined;
      });
  }

  /**
   * One repack of the repository at a time, whichever process starts it (a repack that finds a pack
   * another one just removed fails): the others skip their turn while the lock file exists.
   */
  private async repack(): Promise<void> {
    const lock = join(this.gitDir, 'wikibot-repack.lock');
    if (!takeLock(lock)) return;
    try {
      await runGit(this.gitDir, [
        // Bitmaps need one pack of everything; an incremental repack would warn and skip them.
        '-c',
        'repack.writeBitmaps=false',
        'repack',
        '-d',
        '-q',
        '--geometric=2',
      ]);
    } finally {
      rmSync(lock, { force: true });
    }
  }

  /** Resolves when no repack started here is running. */
  async idle(): Promise<void> {
    await this.running;
  }
}

/** Creates the lock file; false when another process holds it. */
function takeLock(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || Date.now() - stat.mtimeMs < STALE_LOCK_MS) return false;
    rmSync(path, { force: true });
    return takeLock(path);
  }
}
