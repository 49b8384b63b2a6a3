import { mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** Writable as the umask allows, as git makes lock files. */
const MODE = 0o666;
/** `<kind>-<pid>-<counter>` */
const SPARE_NAME = /^(\w+)-(\d+)-\d+$/;
/** Spare files this process made, for unique names. */
let made = 0;

/** An empty file created for one use, open for writing. */
export interface SpareFile {
  path: string;
  fd: number;
}

/**
 * Empty files created ahead of need, off the commit path: creating a file costs milliseconds on
 * some file systems (ext4 under load: 2–6 ms, against 0.05 ms for a rename or a link), and every
 * commit writes a pack, its index and a ref lock. They wait in a folder of the repository that git
 * leaves alone (`git gc` removes `tmp_*` files in objects/pack), named by process; a process that
 * dies leaves its few behind, empty. They are opened when taken (opening a file that exists is
 * cheap), so a wiki holds no descriptors between writes.
 */
export class SpareFiles {
  /** Paths of the files ready. */
  private readonly ready: string[] = [];
  private filling: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly kind: string,
    /** Files kept ready. */
    private readonly keep: number,
    private readonly onError: (error: Error) => void,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** A spare file, open for writing (created now when none is ready); the caller closes its fd and renames or removes it. */
  take(): SpareFile {
    const ready = this.ready.shift();
    const spare = ready ? { path: ready, fd: openSync(ready, 'r+') } : this.createNow();
    this.refill();
    return spare;
  }

  /**
   * The process that made the spare file with inode `ino` (a ref lock is one, hard-linked), if it is
   * one of this folder's.
   */
  makerOf(ino: number): number | null {
    for (const name of readdirSync(this.dir)) {
      const match = SPARE_NAME.exec(name);
      if (
        match?.[1] === this.kind &&
        statSync(join(this.dir, name), { throwIfNoEntry: false })?.ino === ino
      ) {
        return Number(match[2]);
      }
    }
    return null;
  }

  /** Removes the spares not taken; no more are made. */
  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
    for (const path of this.ready.splice(0)) rmSync(path, { force: true });
  }

  private refill(): void {
    if (this.filling || this.closed) return;
    this.filling = (async () => {
      while (this.ready.length < this.keep && !this.closed) {
        const path = this.nextPath();
        await (await open(path, 'wx', MODE)).close();
        this.ready.push(path);
      }
    })()
      .catch((error: Error) => this.onError(error))
      .finally(() => {
        this.filling = undefined;
      });
  }

  private createNow(): SpareFile {
    const path = this.nextPath();
    return { path, fd: openSync(path, 'wx', MODE) };
  }

  private nextPath(): string {
    made += 1;
    return join(this.dir, `${this.kind}-${process.pid}-${made}`);
  }
}
