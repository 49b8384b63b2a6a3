import type { Database, Statement } from 'better-sqlite3';
import { ChunkWriter } from './chunkWriter.js';
import { EmbeddingQueue } from './embeddingQueue.js';
import { VectorMirror } from './vectorMirror.js';

/** A chunk with the page it belongs to, as semantic search reports it. */
export interface ChunkDetails {
  id: number;
  pagePath: string;
  pageName: string;
  /** Words in the page's body. */
  pageWordCount: number;
  /** The chunk as embedded, `[Title > H1] ` prefix included. */
  text: string;
  section: string;
  sectionPath: string[];
  chunkIndex: number;
  totalChunks: number;
}

interface ChunkRow {
  id: number;
  path: string;
  name: string;
  word_count: number;
  text: string;
  section: string;
  section_path: string;
  chunk_index: number;
  total_chunks: number;
}

/** The semantic tables of a wiki's index (chunks, vectors, embedding queue), over its database. */
export class SemanticStore {
  readonly queue: EmbeddingQueue;
  private readonly writer: ChunkWriter;
  private readonly s: {
    chunks: Statement<[string], ChunkRow>;
    counts: Statement<[string], { chunks: number; embedded: number }>;
  };

  constructor(private readonly db: Database) {
    this.queue = new EmbeddingQueue(db);
    this.writer = new ChunkWriter(db);
    this.s = {
      chunks: db.prepare(
        `SELECT c.id, p.path, p.name, p.word_count, c.text, c.section, c.section_path, c.chunk_index,
           c.total_chunks
         FROM chunks c JOIN pages p ON p.id = c.page_id WHERE c.id IN (SELECT value FROM json_each(?))`,
      ),
      counts: db.prepare(
        `SELECT count(*) AS chunks, count(v.hash) AS embedded
         FROM chunks c LEFT JOIN vectors v ON v.hash = c.hash AND v.provider = ?`,
      ),
    };
  }

  /** Replace a page's chunks (call inside the transaction that writes the page). */
  writePage(pageId: number, pagePath: string, content: string): void {
    this.writer.write(pageId, pagePath, content);
  }

  /** A fresh in-memory mirror of one provider's vectors (empty until its first refresh). */
  mirror(providerId: string, dimensions: number): VectorMirror {
    return new VectorMirror(this.db, providerId, dimensions);
  }

  /** The chunks with these ids that still exist, in no particular order. */
  chunks(ids: readonly number[]): ChunkDetails[] {
    return this.s.chunks.all(JSON.stringify(ids)).map((row) => ({
      id: row.id,
      pagePath: row.path,
      pageName: row.name,
      pageWordCount: row.word_count,
      text: row.text,
      section: row.section,
      sectionPath: JSON.parse(row.section_path) as string[],
      chunkIndex: row.chunk_index,
      totalChunks: row.total_chunks,
    }));
  }

  /** How many chunks there are, and how many have a vector from `providerId`. */
  counts(providerId: string | null): { chunks: number; embedded: number } {
    return this.s.counts.get(providerId ?? '') as { chunks: number; embedded: number };
  }
}
