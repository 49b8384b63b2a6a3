import {
  appendFileSync,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { SpareFiles } from './spare-files.js';
import type { Signature } from './types.js';

/**
 * A lock this old, linked to a spare file of a wikibot process that is gone, was left by that
 * process dying between taking and renaming it (git removes its own locks as it exits). Git holds a
 * ref lock for milliseconds.
 */
const ABANDONED_LOCK_MS = 5000;

/**
 * Moves a ref with a compare-and-swap in this process, by the protocol of git's files backend, so git
 * (receive-pack, update-ref) and other wikibot processes exclude each other as they do among
 * themselves: take `<ref>.lock` exclusively, check that the ref still holds the expected id, write the
 * new id into the lock and rename it over the ref. The lock is taken by hard-linking a spare file to
 * its name, which fails when the lock exists as git's O_EXCL create does, without creating a file on
 * the commit path. A reflog the ref already has is appended to, as git does. A lock abandoned by a
 * wikibot process that died holding it is removed; one git holds never is.
 */
export class RefUpdater {
  private readonly path: string;
  private readonly reflog: string;
  /** Held by whoever removes an abandoned lock, so that two never remove one each. */
  private readonly breaking: string;

  constructor(
    gitDir: string,
    /** e.g. `refs/heads/main` */
    ref: string,
    private readonly spares: SpareFiles,
    private readonly committer: Signature,
    /** Where the ref points now, read from the ref files. */
    private readonly current: () => string | null,
    /** Told when this updater moved the ref (what was read of it before is stale). */
    private readonly moved: () => void,
  ) {
    this.path = join(gitDir, ref);
    this.reflog = join(gitDir, 'logs', ref);
    this.breaking = join(gitDir, 'wikibot-ref-break.lock');
  }

  /**
   * Points the ref at `next` if it still holds `expected` (null: if it does not exist). False when it
   * held something else or another writer held its lock.
   */
  update(next: string, expected: string | null): boolean {
    const lock = `${this.path}.lock`;
    const spare = this.spares.take();
    try {
      if (!takeLock(spare.path, lock) && !(this.removeAbandoned(lock) && takeLock(spare.path, lock))) {
        return false;
      }
      let renamed = false;
      try {
        if (this.current() !== expected) return false;
        writeSync(spare.fd, `${next}\n`);
        this.log(expected, next);
        renameSync(lock, this.path);
        renamed = true;
        this.moved();
        return true;
      } finally {
        if (!renamed) rmSync(lock, { force: true });
      }
    } finally {
      closeSync(spare.fd);
      rmSync(spare.path, { force: true });
    }
  }

  /** Removes `lock` if a wikibot process that is gone left it; true when it did. */
  private removeAbandoned(lock: string): boolean {
    const abandoned = (): number | null => {
      const stat = statSync(lock, { throwIfNoEntry: false });
      if (!stat || stat.nlink < 2 || Date.now() - stat.mtimeMs < ABANDONED_LOCK_MS) return null;
      const maker = this.spares.makerOf(stat.ino);
      return maker !== null && maker !== process.pid && !isRunning(maker) ? stat.ino : null;
    };
    if (abandoned() === null) return false;
    try {
      closeSync(openSync(this.breaking, 'wx'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      // Checked again in our turn: nobody else removes the lock now, and a fresh one cannot appear
      // while it exists.
      if (abandoned() === null) return false;
      rmSync(lock);
      return true;
    } finally {
      rmSync(this.breaking, { force: true });
    }
  }

  private log(from: string | null, to: string): void {
    if (!existsSync(this.reflog)) return;
    const { name, email } = this.committer;
    const zero = '0'.repeat(to.length);
    appendFileSync(
      this.reflog,
      `${from ?? zero} ${to} ${name} <${email}> ${Math.floor(Date.now() / 1000)} +0000\t\n`,
    );
  }
}

/** Links `spare` as `lock`; false when the lock exists. Creates the ref's folder when missing. */
function takeLock(spare: string, lock: string, makeFolder = true): boolean {
  try {
    linkSync(spare, lock);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT' || !makeFolder) throw error;
    mkdirSync(dirname(lock), { recursive: true });
    return takeLock(spare, lock, false);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
