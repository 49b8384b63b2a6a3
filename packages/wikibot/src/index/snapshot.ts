import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { GitRepository } from '../git/repository.js';
import { INDEX_SCHEMA_VERSION } from './schema.js';
import type { WikiIndex } from './wikiIndex.js';

/** What seeding found: the commit the seeded index reflects, or why the index is built from scratch. */
export type SeedOutcome = { seeded: string } | { rebuild: string };

/**
 * Seed a missing per-instance index from the snapshot stored next to the repository. The snapshot is
 * copied to a temporary file and checked there (an SQLite integrity check, this schema version, a
 * commit the repository has) before it is renamed into place; anything else leaves no index file, so
 * the index is built from the repository, never answered from a wrong snapshot. Catching up from the
 * snapshot's commit to the branch tip is the index's own tree-diff sync.
 */
export async function seedIndex(
  indexFile: string,
  snapshotFile: string,
  repo: GitRepository,
): Promise<SeedOutcome> {
  await mkdir(dirname(indexFile), { recursive: true });
  const temporary = temporaryName(indexFile);
  try {
    await copyFile(snapshotFile, temporary);
  } catch (error) {
    return { rebuild: `no snapshot (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
  try {
    const commit = snapshotCommit(temporary);
    if (typeof commit !== 'string') return { rebuild: commit.problem };
    if ((await repo.resolveCommit(commit)) !== commit) {
      return { rebuild: `snapshot commit ${commit} is not in the repository` };
    }
    // A journal left by an index that was deleted without it must not be replayed onto the snapshot.
    await Promise.all(['-wal', '-shm'].map((suffix) => rm(`${indexFile}${suffix}`, { force: true })));
    await rename(temporary, indexFile);
    return { seeded: commit };
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Store the index as the wiki's snapshot: SQLite's online backup into a temporary file beside the
 * snapshot, then a rename over it, so readers see the old snapshot or the new one, never a part.
 * Returns the commit the snapshot reflects.
 */
export async function writeSnapshot(index: WikiIndex, snapshotFile: string): Promise<string> {
  const temporary = temporaryName(snapshotFile);
  try {
    await index.backupTo(temporary);
    const commit = snapshotCommit(temporary);
    if (typeof commit !== 'string') throw new Error(`index backup unusable: ${commit.problem}`);
    await rename(temporary, snapshotFile);
    return commit;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The commit a snapshot file reflects, or what is wrong with it. */
function snapshotCommit(file: string): string | { problem: string } {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return { problem: `snapshot fails the integrity check: ${String(check)}` };
    const meta = (key: string) =>
      db?.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    const version = meta('schema_version');
    if (version !== String(INDEX_SCHEMA_VERSION)) {
      return { problem: `snapshot has index schema ${version ?? 'none'}, not ${INDEX_SCHEMA_VERSION}` };
    }
    const commit = meta('commit');
    if (!commit || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit))
      return { problem: 'snapshot has no commit' };
    return commit;
  } catch (error) {
    return { problem: `snapshot unreadable: ${(error as Error).message}` };
  } finally {
    db?.close();
  }
}

function temporaryName(file: string): string {
  return `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}
