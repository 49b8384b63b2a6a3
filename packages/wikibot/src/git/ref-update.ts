import {
  appendFileSync,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { SpareFiles } from './spare-files.js';
import type { Signature } from './types.js';

/**
 * Moves a ref with a compare-and-swap in this process, by the protocol of git's files backend, so git
 * (receive-pack, update-ref) and other wikibot processes exclude each other as they do among
 * themselves: take `<ref>.lock` exclusively, check that the ref still holds the expected id, write the
 * new id into the lock and rename it over the ref. The lock is taken by hard-linking a spare file to
 * its name, which fails when the lock exists as git's O_EXCL create does, without creating a file on
 * the commit path. A reflog the ref already has is appended to, as git does.
 */
export class RefUpdater {
  private readonly path: string;
  private readonly reflog: string;

  constructor(
    gitDir: string,
    /** e.g. `refs/heads/main` */
    ref: string,
    private readonly spares: SpareFiles,
    private readonly committer: Signature,
    /** Where the ref points now, read from the ref files. */
    private readonly current: () => string | null,
  ) {
    this.path = join(gitDir, ref);
    this.reflog = join(gitDir, 'logs', ref);
  }

  /**
   * Points the ref at `next` if it still holds `expected` (null: if it does not exist). False when it
   * held something else or another writer held its lock.
   */
  update(next: string, expected: string | null): boolean {
    const lock = `${this.path}.lock`;
    const spare = this.spares.take();
    try {
      if (!takeLock(spare.path, lock)) return false;
      let moved = false;
      try {
        if (this.current() !== expected) return false;
        writeSync(spare.fd, `${next}\n`);
        this.log(expected, next);
        renameSync(lock, this.path);
        moved = true;
        return true;
      } finally {
        if (!moved) rmSync(lock, { force: true });
      }
    } finally {
      closeSync(spare.fd);
      rmSync(spare.path, { force: true });
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
