import type { Database } from 'better-sqlite3';
import { createSemanticSchema } from './semanticSchema.js';

/** Bump when the schema or what is derived into it changes: an index of another version is rebuilt. */
export const INDEX_SCHEMA_VERSION = 3;

export function createSchema(db: Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE commits (
      sha TEXT PRIMARY KEY,
      author_name TEXT NOT NULL,
      author_email TEXT NOT NULL,
      date TEXT NOT NULL,
      message TEXT NOT NULL
    );
    -- Every blob of the current tree: pages and attachments.
    CREATE TABLE files (
      path TEXT PRIMARY KEY,
      path_lower TEXT NOT NULL,
      folder_lower TEXT NOT NULL,
      blob TEXT NOT NULL,
      size INTEGER NOT NULL,
      last_commit TEXT NOT NULL
    );
    CREATE INDEX files_folder ON files(folder_lower);
    CREATE INDEX files_lower ON files(path_lower);
    CREATE TABLE pages (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL UNIQUE,
      path_lower TEXT NOT NULL,
      name TEXT NOT NULL,
      content TEXT NOT NULL,
      body TEXT NOT NULL,
      frontmatter TEXT,
      category TEXT,
      category_lower TEXT,
      tags TEXT NOT NULL,
      word_count INTEGER NOT NULL,
      blob TEXT NOT NULL,
      last_commit TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX pages_lower ON pages(path_lower);
    CREATE TABLE page_tags (page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE, tag_lower TEXT NOT NULL);
    CREATE INDEX page_tags_tag ON page_tags(tag_lower);
    CREATE INDEX page_tags_page ON page_tags(page_id);
    CREATE TABLE links (
      source_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
      target TEXT NOT NULL,
      target_lower TEXT NOT NULL
    );
    CREATE INDEX links_source ON links(source_id);
    CREATE INDEX links_target ON links(target_lower);
    CREATE VIRTUAL TABLE pages_fts USING fts5(
      name, body, content='pages', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER pages_ai AFTER INSERT ON pages BEGIN
      INSERT INTO pages_fts(rowid, name, body) VALUES (new.id, new.name, new.body);
    END;
    CREATE TRIGGER pages_ad AFTER DELETE ON pages BEGIN
      INSERT INTO pages_fts(pages_fts, rowid, name, body) VALUES ('delete', old.id, old.name, old.body);
    END;
    CREATE TRIGGER pages_au AFTER UPDATE OF name, body ON pages BEGIN
      INSERT INTO pages_fts(pages_fts, rowid, name, body) VALUES ('delete', old.id, old.name, old.body);
      INSERT INTO pages_fts(rowid, name, body) VALUES (new.id, new.name, new.body);
    END;
  `);
  createSemanticSchema(db);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
    'schema_version',
    String(INDEX_SCHEMA_VERSION),
  );
}
