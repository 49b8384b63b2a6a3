import { runGit } from './run-git.js';

/**
 * Plumbing writes loose objects, and many loose objects slow every later read and write. Once this
 * process has written `threshold` objects, a `git repack -d --geometric=2` in a child of its own packs
 * them (with packs small enough to combine), one at a time, off the writers' path: writers go on
 * writing loose objects meanwhile. Safe beside other writers and processes: repack removes a loose
 * object or pack only once a pack holding its objects is in place, and readers find moved objects.
 */
export class LooseObjectPacker {
  private written = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly gitDir: string,
    private readonly threshold: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Count objects written; maybe start packing in the background. */
  wrote(objects: number): void {
    this.written += objects;
    if (this.threshold <= 0 || this.written < this.threshold || this.running) return;
    this.written = 0;
    this.running = runGit(this.gitDir, [
      // Bitmaps need one pack of everything; an incremental repack would warn and skip them.
      '-c',
      'repack.writeBitmaps=false',
      'repack',
      '-d',
      '-q',
      '--geometric=2',
    ])
      .then(
        () => undefined,
        (error: Error) => this.onError(error),
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves when no repack started here is running. */
  async idle(): Promise<void> {
    await this.running;
  }
}
