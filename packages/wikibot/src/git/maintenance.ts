import { runGit } from './run-git.js';

/**
 * Plumbing never packs objects, so every commit leaves a few loose ones behind. Every `every` commits
 * this runs `git gc --auto` (in the foreground of its own child, one at a time), which packs them
 * once there are enough to be worth it and otherwise returns at once. Safe beside other writers: git
 * only prunes loose objects that are packed or weeks old.
 */
export class AutoGc {
  private commits = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly gitDir: string,
    private readonly every: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Count one commit; maybe start a gc in the background. */
  committed(): void {
    if (this.every <= 0 || ++this.commits < this.every || this.running) return;
    this.commits = 0;
    this.running = runGit(this.gitDir, ['-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'])
      .then(
        () => undefined,
        (error: Error) => this.onError(error),
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves when no gc started here is running. */
  async idle(): Promise<void> {
    await this.running;
  }
}
