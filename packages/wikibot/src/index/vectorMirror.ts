import type { Database, Statement } from 'better-sqlite3';
import { VectorStore } from './vectorStore.js';

/** Below this many pending events the mirror replays them; above it, reloading is cheaper. */
const MIN_REPLAY_LIMIT = 10_000;
/** Rows of room left after a reload, so a few new vectors do not reallocate at once. */
const RELOAD_SLACK = 1024;
/** Meta key: events up to this sequence number have been pruned from the log. */
export const EVENTS_FLOOR_KEY = 'vector_events_floor';

interface VectorRow {
  id: number;
  page_id: number;
  vector: Buffer;
}

/**
 * This process's in-memory copy of one provider's vectors, one row per chunk. `refresh` replays
 * the vector event log since the last look (a single indexed read when nothing changed), so
 * writes by this process, other processes and catch-ups from git all reach it.
 */
export class VectorMirror {
  readonly store: VectorStore;
  /** The last event applied; -1 before the first load. */
  private seq = -1;
  private readonly statements: {
    floor: Statement<[string], string | undefined>;
    lastSeq: Statement<[], number>;
    events: Statement<[number, number], { seq: number; chunk_id: number }>;
    chunkVector: Statement<[number, string], VectorRow | undefined>;
    allVectors: Statement<[string], VectorRow>;
    countVectors: Statement<[string], number>;
  };

  constructor(
    private readonly db: Database,
    readonly providerId: string,
    dimensions: number,
  ) {
    this.store = new VectorStore(dimensions);
    const vectorOf = `SELECT c.id, c.page_id, v.vector FROM chunks c JOIN vectors v ON v.hash = c.hash`;
    this.statements = {
      floor: db.prepare<[string], string | undefined>('SELECT value FROM meta WHERE key = ?').pluck(),
      lastSeq: db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM vector_events').pluck(),
      events: db.prepare('SELECT seq, chunk_id FROM vector_events WHERE seq > ? ORDER BY seq LIMIT ?'),
      chunkVector: db.prepare(`${vectorOf} WHERE c.id = ? AND v.provider = ?`),
      allVectors: db.prepare(`${vectorOf} WHERE v.provider = ?`),
      countVectors: db
        .prepare<[string], number>(
          'SELECT count(*) FROM chunks c JOIN vectors v ON v.hash = c.hash WHERE v.provider = ?',
        )
        .pluck(),
    };
  }

  /** Bring the vectors up to date with the database. */
  refresh(): void {
    const floor = Number(this.statements.floor.get(EVENTS_FLOOR_KEY) ?? 0);
    if (this.seq < 0 || this.seq < floor) {
      this.reload();
      return;
    }
    const limit = Math.max(MIN_REPLAY_LIMIT, this.store.size);
    const events = this.statements.events.all(this.seq, limit + 1);
    if (events.length > limit) {
      this.reload();
      return;
    }
    for (const event of events) {
      const row = this.statements.chunkVector.get(event.chunk_id, this.providerId);
      if (row && this.fits(row)) this.store.set(row.id, row.page_id, toFloat32(row.vector));
      else this.store.delete(event.chunk_id);
      this.seq = event.seq;
    }
  }

  private reload(): void {
    this.db.transaction(() => {
      this.store.clear((this.statements.countVectors.get(this.providerId) as number) + RELOAD_SLACK);
      this.seq = this.statements.lastSeq.get() as number;
      for (const row of this.statements.allVectors.iterate(this.providerId)) {
        if (this.fits(row)) this.store.set(row.id, row.page_id, toFloat32(row.vector));
      }
    })();
  }

  private fits(row: VectorRow): boolean {
    return row.vector.byteLength === this.store.dimensions * 4;
  }
}

/** A Float32Array over a SQLite blob (copied when the blob is not 4-byte aligned). */
export function toFloat32(blob: Buffer): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export function fromFloat32(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}
