import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { chunkPage } from '../domain/chunking.js';

/** The key a chunk's vector is stored under: equal texts share one vector. */
export function chunkHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Keeps a page's chunks in step with its content, inside the index's writing transaction. The new
 * chunks go in before the old ones go out, so a text still on the page keeps its queue position
 * (and its claim) instead of being dequeued and queued again by the triggers.
 */
export class ChunkWriter {
  private readonly idsOfPage: Statement<[number], number>;
  private readonly insert: Statement<[number, number, number, string, string, string, string]>;
  private readonly remove: Statement<[number]>;

  constructor(db: Database) {
    this.idsOfPage = db.prepare<[number], number>('SELECT id FROM chunks WHERE page_id = ?').pluck();
    this.insert = db.prepare(
      `INSERT INTO chunks (page_id, chunk_index, total_chunks, section, section_path, text, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.remove = db.prepare('DELETE FROM chunks WHERE id = ?');
  }

  /** `pagePath` titles the chunks of a page whose frontmatter has no title (as upstream does). */
  write(pageId: number, pagePath: string, content: string): void {
    const old = this.idsOfPage.all(pageId);
    for (const chunk of chunkPage(pagePath, content).chunks) {
      this.insert.run(
        pageId,
        chunk.chunkIndex,
        chunk.totalChunks,
        chunk.section,
        JSON.stringify(chunk.sectionPath),
        chunk.text,
        chunkHash(chunk.text),
      );
    }
    for (const id of old) this.remove.run(id);
  }
}
