import type { Database, Statement } from 'better-sqlite3';
import { EVENTS_FLOOR_KEY, fromFloat32 } from './vectorMirror.js';

export interface EmbeddingJob {
  hash: string;
  text: string;
}

export interface QueueStatus {
  /** Distinct chunk texts waiting for a vector. */
  length: number;
  /** When the oldest of them was queued (ms since the epoch); null when none waits. */
  oldestQueuedAt: number | null;
}

/** The vector event log keeps at least this many recent events for mirrors to replay. */
const EVENTS_KEPT = 100_000;

/**
 * The persistent embedding queue of one wiki's index. Triggers fill and empty it as chunks come and
 * go (see semanticSchema.ts); workers in any process claim jobs for a lease, so two processes do not
 * embed the same text twice, and a claim of a dead process can be taken over. Completing a job is
 * idempotent: a vector belongs to a text, not to a chunk.
 */
export class EmbeddingQueue {
  private readonly s: {
    candidates: Statement<[number, number], { hash: string; text: string | null }>;
    claim: Statement<[string, number, string]>;
    drop: Statement<[string]>;
    isReferenced: Statement<[string], number | undefined>;
    saveVector: Statement<[string, string, Buffer]>;
    release: Statement<[number, string, string]>;
    claimants: Statement<[number], string>;
    releaseOwner: Statement<[string]>;
    status: Statement<[], { length: number; oldest: number | null }>;
    queueMissing: Statement<[number, string]>;
    dropForeign: Statement<[string]>;
    dropOrphans: Statement<[]>;
    lastSeq: Statement<[], number>;
    pruneEvents: Statement<[number]>;
    setMeta: Statement<[string, string]>;
  };

  constructor(private readonly db: Database) {
    this.s = {
      // Every chunk of a queued text has the same text; any one will do.
      candidates: db.prepare(
        `SELECT q.hash, (SELECT c.text FROM chunks c WHERE c.hash = q.hash LIMIT 1) AS text
         FROM embedding_queue q WHERE q.claimed_until <= ? ORDER BY q.queued_at, q.hash LIMIT ?`,
      ),
      claim: db.prepare('UPDATE embedding_queue SET claimed_by = ?, claimed_until = ? WHERE hash = ?'),
      drop: db.prepare('DELETE FROM embedding_queue WHERE hash = ?'),
      isReferenced: db
        .prepare<[string], number | undefined>('SELECT 1 FROM chunks WHERE hash = ? LIMIT 1')
        .pluck(),
      saveVector: db.prepare(
        `INSERT INTO vectors (hash, provider, vector) VALUES (?, ?, ?)
         ON CONFLICT(hash) DO UPDATE SET provider = excluded.provider, vector = excluded.vector`,
      ),
      // Each failure doubles the pause before a job is tried again: 2 s, 4 s, … at most an hour.
      release: db.prepare(
        `UPDATE embedding_queue SET claimed_by = NULL,
           claimed_until = ? + min(2000 * (1 << min(attempts, 11)), 3600000), attempts = attempts + 1
         WHERE hash = ? AND claimed_by = ?`,
      ),
      claimants: db
        .prepare<[number], string>(
          'SELECT DISTINCT claimed_by FROM embedding_queue WHERE claimed_until > ? AND claimed_by IS NOT NULL',
        )
        .pluck(),
      releaseOwner: db.prepare(
        'UPDATE embedding_queue SET claimed_by = NULL, claimed_until = 0 WHERE claimed_by = ?',
      ),
      status: db.prepare('SELECT count(*) AS length, min(queued_at) AS oldest FROM embedding_queue'),
      queueMissing: db.prepare(
        `INSERT OR IGNORE INTO embedding_queue (hash, queued_at)
         SELECT DISTINCT c.hash, ? FROM chunks c LEFT JOIN vectors v ON v.hash = c.hash
         WHERE v.hash IS NULL OR v.provider <> ?`,
      ),
      dropForeign: db.prepare('DELETE FROM vectors WHERE provider <> ?'),
      dropOrphans: db.prepare(
        'DELETE FROM vectors WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.hash = vectors.hash)',
      ),
      lastSeq: db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM vector_events').pluck(),
      pruneEvents: db.prepare('DELETE FROM vector_events WHERE seq <= ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  /**
   * Make `providerId` the provider of this index: texts without one of its vectors are queued, and
   * vectors of any other provider (another model, other dimensions) are dropped. Returns how many
   * texts were queued by this call.
   */
  adoptProvider(providerId: string, now = Date.now()): number {
    return this.db
      .transaction(() => {
        const queued = this.s.queueMissing.run(now, providerId).changes;
        this.s.dropForeign.run(providerId);
        return queued;
      })
      .immediate();
  }

  /** Claim up to `limit` jobs nobody holds, oldest first, until `now + leaseMs`. */
  claim(owner: string, limit: number, leaseMs: number, now = Date.now()): EmbeddingJob[] {
    return this.db
      .transaction(() => {
        const jobs: EmbeddingJob[] = [];
        for (const row of this.s.candidates.all(now, limit)) {
          // A job whose text left every page before a trigger could drop it: nothing to do.
          if (row.text === null) this.s.drop.run(row.hash);
          else {
            this.s.claim.run(owner, now + leaseMs, row.hash);
            jobs.push({ hash: row.hash, text: row.text });
          }
        }
        return jobs;
      })
      .immediate();
  }

  /** Store the vectors of finished jobs and take the jobs off the queue. */
  complete(jobs: readonly EmbeddingJob[], vectors: readonly Float32Array[], providerId: string): void {
    if (vectors.length !== jobs.length) {
      throw new Error(`got ${vectors.length} vectors for ${jobs.length} texts`);
    }
    this.db
      .transaction(() => {
        jobs.forEach((job, i) => {
          // A text that left every page meanwhile needs no vector.
          if (this.s.isReferenced.get(job.hash) !== undefined) {
            this.s.saveVector.run(job.hash, providerId, fromFloat32(vectors[i] as Float32Array));
          }
          this.s.drop.run(job.hash);
        });
      })
      .immediate();
  }

  /** Give claimed jobs back after a failure, to be tried again after a pause that grows per failure. */
  release(jobs: readonly EmbeddingJob[], owner: string, now = Date.now()): void {
    this.db.transaction(() => {
      for (const job of jobs) this.s.release.run(now, job.hash, owner);
    })();
  }

  /** Free the claims of workers `isAlive` says are gone (e.g. a process killed mid-batch). */
  releaseDeadClaims(isAlive: (owner: string) => boolean, now = Date.now()): number {
    let released = 0;
    for (const owner of this.s.claimants.all(now)) {
      if (!isAlive(owner)) released += this.releaseOwner(owner);
    }
    return released;
  }

  /** Free every claim of `owner` without counting a failure (a worker shutting down). */
  releaseOwner(owner: string): number {
    return this.s.releaseOwner.run(owner).changes;
  }

  status(): QueueStatus {
    const row = this.s.status.get() as { length: number; oldest: number | null };
    return { length: row.length, oldestQueuedAt: row.oldest };
  }

  /** Housekeeping: drop vectors no chunk uses any more and prune the vector event log. */
  collectGarbage(): void {
    this.db
      .transaction(() => {
        this.s.dropOrphans.run();
        const floor = (this.s.lastSeq.get() as number) - EVENTS_KEPT;
        if (floor > 0 && this.s.pruneEvents.run(floor).changes > 0) {
          this.s.setMeta.run(EVENTS_FLOOR_KEY, String(floor));
        }
      })
      .immediate();
  }
}
