import type { Database } from 'better-sqlite3';

/**
 * The semantic part of the index: every page's chunks, one vector per distinct chunk text, the
 * persistent queue of texts waiting for a vector, and an ordered log of which chunks gained or lost
 * a vector (in-memory vector sets of every process follow it).
 *
 * Triggers keep queue and log exact inside the writing transaction, whatever the path: a page
 * written, deleted or renamed, a catch-up from git, or a full rebuild. Vectors are keyed by the
 * text's hash, so unchanged chunks keep theirs across edits, renames and rebuilds.
 */
export function createSemanticSchema(db: Database): void {
  db.exec(`
    CREATE TABLE chunks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
      chunk_index INTEGER NOT NULL,
      total_chunks INTEGER NOT NULL,
      section TEXT NOT NULL,
      -- JSON array: the page title, then up to three heading titles.
      section_path TEXT NOT NULL,
      text TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE INDEX chunks_page ON chunks(page_id);
    CREATE INDEX chunks_hash ON chunks(hash);
    -- Float32 little-endian, L2-normalised, made by the named provider.
    CREATE TABLE vectors (hash TEXT PRIMARY KEY, provider TEXT NOT NULL, vector BLOB NOT NULL);
    -- Times are milliseconds since the epoch. A worker owns a job until claimed_until.
    CREATE TABLE embedding_queue (
      hash TEXT PRIMARY KEY,
      queued_at INTEGER NOT NULL,
      claimed_by TEXT,
      claimed_until INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX embedding_queue_order ON embedding_queue(queued_at);
    CREATE TABLE vector_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id INTEGER NOT NULL);

    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
      INSERT OR IGNORE INTO embedding_queue (hash, queued_at)
        SELECT new.hash, CAST(unixepoch('subsec') * 1000 AS INTEGER)
        WHERE NOT EXISTS (SELECT 1 FROM vectors WHERE hash = new.hash);
      INSERT INTO vector_events (chunk_id)
        SELECT new.id WHERE EXISTS (SELECT 1 FROM vectors WHERE hash = new.hash);
    END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
      DELETE FROM embedding_queue
        WHERE hash = old.hash AND NOT EXISTS (SELECT 1 FROM chunks WHERE hash = old.hash);
      INSERT INTO vector_events (chunk_id)
        SELECT old.id WHERE EXISTS (SELECT 1 FROM vectors WHERE hash = old.hash);
    END;
    CREATE TRIGGER vectors_ai AFTER INSERT ON vectors BEGIN
      INSERT INTO vector_events (chunk_id) SELECT id FROM chunks WHERE hash = new.hash;
    END;
    CREATE TRIGGER vectors_au AFTER UPDATE ON vectors BEGIN
      INSERT INTO vector_events (chunk_id) SELECT id FROM chunks WHERE hash = new.hash;
    END;
    CREATE TRIGGER vectors_ad AFTER DELETE ON vectors BEGIN
      INSERT INTO vector_events (chunk_id) SELECT id FROM chunks WHERE hash = old.hash;
    END;
  `);
}

/**
 * Run `recreate` (which drops and recreates every table) keeping the vectors: they are keyed by
 * their text's hash, so a rebuilt index reuses every one whose text is still on a page, and a new
 * index version costs no embedding. Vectors of an older, different layout are left behind.
 */
export function keepingVectors(db: Database, recreate: () => void): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('vectors')").pluck().all() as string[];
  const keep = ['hash', 'provider', 'vector'].every((column) => columns.includes(column));
  if (keep) db.exec('CREATE TEMP TABLE kept_vectors AS SELECT hash, provider, vector FROM vectors');
  recreate();
  if (keep) {
    db.exec(`INSERT OR IGNORE INTO vectors (hash, provider, vector) SELECT hash, provider, vector FROM temp.kept_vectors;
      DROP TABLE temp.kept_vectors;`);
  }
}
