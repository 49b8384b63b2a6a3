import { rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Compare-and-swap alone is not fair: under a steady stream of commits from other processes, one
 * writer can lose race after race. A writer that keeps losing claims priority with a marker file, and
 * every writer waits before an attempt while someone else's fresh claim exists, so the starving one
 * gets through next. It is a fairness aid only: correctness rests on the compare-and-swap, and the
 * claim of a crashed process simply expires.
 */
export class PriorityClaim {
  private held = false;

  constructor(
    private readonly path: string,
    private readonly ttlMs: number,
  ) {}

  /** Try to take priority; true if this writer holds it now. */
  claim(): boolean {
    if (this.held) return true;
    for (let tries = 0; tries < 2; tries++) {
      try {
        writeFileSync(this.path, `${process.pid}\n`, { flag: 'wx' });
        this.held = true;
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || this.claimAge() < this.ttlMs) return false;
        rmSync(this.path, { force: true }); // expired: left by a writer that died
      }
    }
    return false;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    rmSync(this.path, { force: true });
  }

  /** Waits (at most the claim's lifetime) while another writer holds a fresh claim. */
  async yieldToOthers(): Promise<void> {
    if (this.held) return;
    const deadline = Date.now() + this.ttlMs;
    while (this.claimAge() < this.ttlMs && Date.now() < deadline) await sleep(1);
  }

  /** Milliseconds since the current claim was made; Infinity if there is none. */
  private claimAge(): number {
    try {
      return Date.now() - statSync(this.path).mtimeMs;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }
}
