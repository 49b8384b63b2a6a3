import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Frontmatter } from '../domain/frontmatter.js';
import { pagePathOfFile } from '../domain/pagePath.js';
import type { WikiLinkStyle } from '../domain/wikilinks.js';
import type { GitRepository } from '../git/repository.js';
import { TurnMemo } from '../git/turnMemo.js';
import type { CommitInfo } from '../git/types.js';
import { derivePage } from './derive.js';
import { AsyncLock } from './lock.js';
import { createSchema, INDEX_SCHEMA_VERSION } from './schema.js';
import { keepingVectors } from './semanticSchema.js';
import { SemanticStore } from './semanticStore.js';

export interface PageSummary {
  id: number;
  path: string;
  name: string;
  category: string | null;
  tags: string[];
  wordCount: number;
  blob: string;
  lastCommit: string;
  updatedAt: string;
}

export interface IndexedPage extends PageSummary {
  content: string;
  body: string;
  frontmatter: Frontmatter | null;
}

export interface IndexedFile {
  path: string;
  blob: string;
  size: number;
  lastCommit: string;
  updatedAt: string;
}

export interface PageFilter {
  prefix?: string;
  category?: string;
  tag?: string;
  /** ISO 8601 instant; pages last changed at or after it */
  updatedSince?: Date;
  limit?: number;
  offset?: number;
}

/** A page found by a search ranking. */
export interface RankedPage {
  path: string;
  name: string;
  score: number;
  /** Markdown to cut a snippet from when the page's own text has no hit (a semantic match's chunk). */
  excerpt?: string;
}

/** A file as it is after a commit: content for pages, size for everything. null content = deleted. */
export interface AppliedChange {
  path: string;
  content: Buffer | null;
  blob: string | null;
}

/** A commit this process made, with the commit it was built on and the files it changed. */
export interface AppliedCommit {
  info: CommitInfo;
  parent: string | null;
  changes: AppliedChange[];
}

export type ProgressFn = (done: number, total: number) => void;

interface PageRow {
  id: number;
  path: string;
  name: string;
  content: string;
  body: string;
  frontmatter: string | null;
  tags: string;
  word_count: number;
  blob: string;
  last_commit: string;
  updated_at: string;
  category: string | null;
}

const BLOB_READ_BATCH = 256;

/**
 * The per-wiki SQLite index: derived from git, disposable, and always caught up before it answers.
 * It remembers the commit it reflects; `ensureFresh` compares that with the branch tip (a file read)
 * and applies the difference, so commits from other processes, replicas or `git push` are seen at once.
 */
export class WikiIndex {
  private readonly db: Database;
  private readonly lock = new AsyncLock();
  /** The commit this process last saw the index at; the database holds the truth. */
  private seenCommit: string | null | undefined;
  private readonly statements: ReturnType<WikiIndex['prepare']>;
  private readonly recentCommitMemo = new TurnMemo(() => this.commit);
  /** Chunks, vectors and the embedding queue, kept in step with the pages by `applyFile`. */
  readonly semantic: SemanticStore;

  private constructor(
    db: Database,
    private readonly repo: GitRepository,
    private readonly linkStyle: WikiLinkStyle,
  ) {
    this.db = db;
    this.statements = this.prepare();
    this.semantic = new SemanticStore(db);
  }

  static open(file: string, repo: GitRepository, linkStyle: WikiLinkStyle = 'title-page'): WikiIndex {
    mkdirSync(dirname(file), { recursive: true });
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 4 MiB of pages per wiki rather than better-sqlite3's 16: the OS caches the file as well, and a
    // platform holds one such connection per open wiki (search at 10k pages ran no slower).
    db.pragma('cache_size = -4096');
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    const version = hasMeta
      ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as
          | string
          | undefined)
      : undefined;
    if (version !== String(INDEX_SCHEMA_VERSION)) {
      db.transaction(() =>
        keepingVectors(db, () => {
          dropAll(db);
          createSchema(db);
        }),
      ).immediate();
    }
    return new WikiIndex(db, repo, linkStyle);
  }

  close(): void {
    this.db.close();
  }

  /** Copy the whole index to `file` with SQLite's online backup, between this process's syncs. */
  async backupTo(file: string): Promise<void> {
    await this.lock.run(() => this.db.backup(file));
  }

  private prepare() {
    const db = this.db;
    const pageColumns = `p.id, p.path, p.name, p.content, p.body, p.frontmatter, p.tags, p.word_count, p.blob,
      p.last_commit, p.updated_at, p.category`;
    return {
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      pageByLower: db.prepare(
        `SELECT ${pageColumns} FROM pages p WHERE p.path_lower = ? ORDER BY p.path LIMIT 1`,
      ),
      pageExact: db.prepare(`SELECT ${pageColumns} FROM pages p WHERE p.path = ?`),
      insertCommit: db.prepare(
        'INSERT OR IGNORE INTO commits (sha, author_name, author_email, date, message) VALUES (?, ?, ?, ?, ?)',
      ),
      commit: db.prepare('SELECT sha, author_name, author_email, date, message FROM commits WHERE sha = ?'),
      upsertFile: db.prepare(`INSERT INTO files (path, path_lower, folder_lower, blob, size, last_commit)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET blob = excluded.blob, size = excluded.size,
        last_commit = excluded.last_commit`),
      deleteFile: db.prepare('DELETE FROM files WHERE path = ?'),
      touchFile: db.prepare('UPDATE files SET last_commit = ? WHERE path = ?'),
      touchPage: db.prepare(
        'UPDATE pages SET last_commit = ?, updated_at = (SELECT date FROM commits WHERE sha = ?) WHERE path = ?',
      ),
      pageIdByPath: db.prepare('SELECT id FROM pages WHERE path = ?').pluck(),
      insertPage: db.prepare(`INSERT INTO pages (path, path_lower, name, content, body, frontmatter, category,
        category_lower, tags, word_count, blob, last_commit, updated_at) VALUES (@path, @pathLower, @name, @content,
        @body, @frontmatter, @category, @categoryLower, @tags, @wordCount, @blob, @commit,
        (SELECT date FROM commits WHERE sha = @commit))`),
      updatePage: db.prepare(`UPDATE pages SET name = @name, content = @content, body = @body,
        frontmatter = @frontmatter, category = @category, category_lower = @categoryLower, tags = @tags,
        word_count = @wordCount, blob = @blob, last_commit = @commit,
        updated_at = (SELECT date FROM commits WHERE sha = @commit) WHERE id = @id`),
      deletePage: db.prepare('DELETE FROM pages WHERE path = ?'),
      deleteTags: db.prepare('DELETE FROM page_tags WHERE page_id = ?'),
      insertTag: db.prepare('INSERT INTO page_tags (page_id, tag_lower) VALUES (?, ?)'),
      deleteLinks: db.prepare('DELETE FROM links WHERE source_id = ?'),
      insertLink: db.prepare('INSERT INTO links (source_id, target, target_lower) VALUES (?, ?, ?)'),
      fileByLower: db.prepare(
        `SELECT f.path, f.blob, f.size, f.last_commit, c.date AS updated_at FROM files f
         LEFT JOIN commits c ON c.sha = f.last_commit WHERE f.path_lower = ? ORDER BY f.path LIMIT 1`,
      ),
      filesInFolder: db.prepare(
        `SELECT f.path, f.blob, f.size, f.last_commit, c.date AS updated_at FROM files f
         LEFT JOIN commits c ON c.sha = f.last_commit WHERE f.folder_lower = ? ORDER BY f.path`,
      ),
      filesUnder: db.prepare(
        `SELECT f.path, f.blob, f.size, f.last_commit, c.date AS updated_at FROM files f
         LEFT JOIN commits c ON c.sha = f.last_commit WHERE f.path_lower >= ? AND f.path_lower < ?
         ORDER BY f.path_lower, f.path LIMIT ?`,
      ),
      linksFrom: db.prepare(
        `SELECT DISTINCT coalesce(t.path, l.target) AS path FROM links l
         LEFT JOIN pages t ON t.path_lower = l.target_lower WHERE l.source_id = ? ORDER BY 1`,
      ),
      linksTo: db.prepare(
        `SELECT DISTINCT s.path FROM links l JOIN pages s ON s.id = l.source_id
         WHERE l.target_lower = ? ORDER BY 1`,
      ),
      allPaths: db.prepare('SELECT path FROM pages ORDER BY path').pluck(),
      allEdges: db.prepare(
        `SELECT DISTINCT s.path AS source, coalesce(t.path, l.target) AS target FROM links l
         JOIN pages s ON s.id = l.source_id LEFT JOIN pages t ON t.path_lower = l.target_lower ORDER BY 1, 2`,
      ),
      orphans: db
        .prepare(
          `SELECT p.path FROM pages p WHERE NOT EXISTS (
           SELECT 1 FROM links l WHERE l.target_lower = p.path_lower AND l.source_id <> p.id)
         ORDER BY p.path`,
        )
        .pluck(),
      // One pass over the matches ranks them; nothing per row evaluates the query again.
      search: db.prepare(
        `SELECT p.path, p.name, top.rank FROM (
           SELECT rowid AS id, bm25(pages_fts, 5.0, 1.0) AS rank FROM pages_fts
           WHERE pages_fts MATCH @query ORDER BY rank LIMIT @limit OFFSET @offset) top
         JOIN pages p ON p.id = top.id ORDER BY top.rank`,
      ),
      // count(*) reads the doclists without positions: cheap even when most pages match.
      searchCount: db.prepare('SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?').pluck(),
      searchCountAmong: db
        .prepare(
          `SELECT count(*) FROM pages_fts WHERE pages_fts MATCH @query AND rowid IN (
             SELECT id FROM pages WHERE path IN (SELECT value FROM json_each(@paths)))`,
        )
        .pluck(),
      bodyHeads: db.prepare(
        'SELECT path, substr(body, 1, @chars) AS head FROM pages WHERE path IN (SELECT value FROM json_each(@paths))',
      ),
      pageCount: db.prepare('SELECT count(*) FROM pages').pluck(),
      attachmentTotals: db.prepare(
        "SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM files WHERE substr(path, -3) <> '.md'",
      ),
    };
  }

  /** The commit the index reflects (null: never built, or an empty repository). */
  get commit(): string | null {
    return (this.statements.getMeta.get('commit') as string | undefined) ?? null;
  }

  /**
   * {@link commit} read at most once per turn of the event loop (a query takes the WAL's file locks),
   * for cache keys checked on every request: this process's index writes are seen at once, another
   * process's from the next turn on.
   */
  get recentCommit(): string | null {
    return this.recentCommitMemo.get();
  }

  /** The commit this process last caught up to: valid right after `ensureFresh`, without a query. */
  get freshCommit(): string | null {
    return this.seenCommit ?? null;
  }

  get pageCount(): number {
    return this.statements.pageCount.get() as number;
  }

  /** How many files of the current tree are not pages, and their bytes together. */
  get attachmentTotals(): { count: number; bytes: number } {
    return this.statements.attachmentTotals.get() as { count: number; bytes: number };
  }

  /**
   * Catch up with the branch if it moved. Cheap when it did not: one ref read per turn of the event
   * loop (a commit by another process is seen from the next turn on), no SQL, no git process.
   */
  async ensureFresh(): Promise<void> {
    const tip = this.repo.recentTip();
    if (tip !== null && tip === this.seenCommit) return;
    await this.sync();
  }

  /** Bring the index to the branch tip: by tree diff from the commit it reflects, or by a full rebuild. */
  sync(progress?: ProgressFn): Promise<void> {
    return this.lock.run(async () => {
      for (;;) {
        const tip = this.repo.tip();
        const base = this.commit;
        if (tip === base) {
          this.seenCommit = tip;
          return;
        }
        const apply = tip === null ? () => this.clear() : await this.plan(base, tip, progress);
        const done = this.db
          .transaction(() => {
            if (this.commit !== base) return false; // another process moved the index meanwhile
            apply();
            this.setCommit(tip);
            return true;
          })
          .immediate();
        if (done) {
          this.seenCommit = tip;
          return;
        }
      }
    });
  }

  /** Throw the index away and build it again from the tip. */
  async rebuild(progress?: ProgressFn): Promise<void> {
    await this.lock.run(async () => {
      this.db.transaction(() => this.setCommit(null)).immediate();
      this.seenCommit = undefined;
    });
    await this.sync(progress);
  }

  /**
   * Apply commits this process just made (a chain, each the parent of the next) in one transaction,
   * without asking git what changed. Falls back to `sync` when the index is not at the first one's
   * parent (another writer got in between).
   */
  async applyCommits(chain: AppliedCommit[]): Promise<void> {
    await this.lock.run(async () => {
      this.db
        .transaction(() => {
          if (chain.length === 0 || this.commit !== chain[0]!.parent) return;
          for (const { info, changes } of chain) {
            this.insertCommit(info);
            for (const change of changes) this.applyFile(change.path, change.content, change.blob, info.sha);
          }
          this.setCommit(chain.at(-1)!.info.sha);
        })
        .immediate();
    });
    await this.sync();
  }

  private setCommit(commit: string | null): void {
    this.recentCommitMemo.forget();
    if (commit === null) this.db.prepare("DELETE FROM meta WHERE key = 'commit'").run();
    else this.statements.setMeta.run('commit', commit);
  }

  private clear(): void {
    this.db.exec('DELETE FROM links; DELETE FROM page_tags; DELETE FROM pages; DELETE FROM files;');
  }

  private insertCommit(c: CommitInfo): void {
    this.statements.insertCommit.run(c.sha, c.authorName, c.authorEmail, c.date, c.message);
  }

  /** Work out the changes outside any transaction (git reads are slow); return a function applying them. */
  private async plan(base: string | null, tip: string, progress?: ProgressFn): Promise<() => void> {
    if (base !== null) {
      const commits = await this.repo.log({ range: `${base}..${tip}`, withFiles: true, reverse: true });
      if (commits.length > 0) {
        const changes = await this.repo.diffTrees(base, tip);
        const lastTouch = new Map<string, string>();
        for (const c of commits) for (const f of c.files) lastTouch.set(f, c.sha);
        const contents = await this.readBlobs(
          changes.filter((c) => c.sha !== null).map((c) => c.sha as string),
          progress,
        );
        return () => {
          for (const c of commits) this.insertCommit(c);
          for (const change of changes) {
            const content = change.sha === null ? null : (contents.get(change.sha) ?? null);
            this.applyFile(change.path, content, change.sha, lastTouch.get(change.path) ?? tip);
            lastTouch.delete(change.path);
          }
          // Files touched by the new commits whose content ended up unchanged still have a new last commit.
          for (const [path, sha] of lastTouch) {
            this.statements.touchFile.run(sha, path);
            this.statements.touchPage.run(sha, sha, pagePathOfFile(path) ?? '');
          }
        };
      }
      // The tip is not a descendant of what we indexed (history rewritten): build afresh.
    }
    const [files, commits] = await Promise.all([
      this.repo.listFiles(tip),
      this.repo.log({ from: tip, withFiles: true }),
    ]);
    const lastTouch = new Map<string, string>();
    for (const c of commits) for (const f of c.files) if (!lastTouch.has(f)) lastTouch.set(f, c.sha);
    const blobs = files.filter((f) => f.type === 'blob');
    const contents = await this.readBlobs(
      blobs.filter((f) => f.path.endsWith('.md')).map((f) => f.sha),
      progress,
    );
    return () => {
      this.clear();
      for (const c of commits) this.insertCommit(c);
      for (const f of blobs) {
        const content = f.path.endsWith('.md') ? (contents.get(f.sha) ?? null) : null;
        this.applyFile(f.path, content, f.sha, lastTouch.get(f.path) ?? tip, f.size ?? 0);
      }
    };
  }

  private async readBlobs(shas: string[], progress?: ProgressFn): Promise<Map<string, Buffer>> {
    const unique = [...new Set(shas)];
    const contents = new Map<string, Buffer>();
    for (let i = 0; i < unique.length; i += BLOB_READ_BATCH) {
      const batch = unique.slice(i, i + BLOB_READ_BATCH);
      const read = await Promise.all(batch.map((sha) => this.repo.readBlob(sha)));
      for (const [k, sha] of batch.entries()) contents.set(sha, read[k] as Buffer);
      progress?.(Math.min(i + BLOB_READ_BATCH, unique.length), unique.length);
    }
    if (unique.length === 0) progress?.(0, 0);
    return contents;
  }

  /**
   * Record one file of the tree. `content` is needed for pages; for other files only `size` matters
   * (taken from `content` when it is given). A null blob deletes the file.
   */
  private applyFile(
    path: string,
    content: Buffer | null,
    blob: string | null,
    commit: string,
    size?: number,
  ): void {
    const s = this.statements;
    const pagePath = pagePathOfFile(path);
    if (blob === null) {
      s.deleteFile.run(path);
      if (pagePath !== null) s.deletePage.run(pagePath);
      return;
    }
    const lower = path.toLowerCase();
    const slash = lower.lastIndexOf('/');
    s.upsertFile.run(
      path,
      lower,
      slash < 0 ? '' : lower.slice(0, slash),
      blob,
      content?.length ?? size ?? 0,
      commit,
    );
    if (pagePath === null) return;
    const text = content === null ? '' : content.toString('utf8');
    const d = derivePage(pagePath, text, this.linkStyle);
    const row = {
      name: d.name,
      content: text,
      body: d.body,
      frontmatter: d.frontmatter === null ? null : JSON.stringify(d.frontmatter),
      category: d.category,
      categoryLower: d.category?.toLowerCase() ?? null,
      tags: JSON.stringify(d.tags),
      wordCount: d.wordCount,
      blob,
      commit,
    };
    let id = s.pageIdByPath.get(pagePath) as number | undefined;
    if (id === undefined) {
      id = Number(
        s.insertPage.run({ ...row, path: pagePath, pathLower: pagePath.toLowerCase() }).lastInsertRowid,
      );
    } else {
      s.updatePage.run({ ...row, id });
      s.deleteTags.run(id);
      s.deleteLinks.run(id);
    }
    for (const tag of new Set(d.tags.map((t) => t.toLowerCase()))) s.insertTag.run(id, tag);
    for (const target of d.links) s.insertLink.run(id, target, target.toLowerCase());
    this.semantic.writePage(id, pagePath, text);
  }

  // ---- queries -------------------------------------------------------------------------------

  /** A page by path, case-insensitively; an exact-case match wins over other casings. */
  page(path: string): IndexedPage | undefined {
    const row = (this.statements.pageExact.get(path) ??
      this.statements.pageByLower.get(path.toLowerCase())) as PageRow | undefined;
    return row && toPage(row);
  }

  listPages(filter: PageFilter): { pages: PageSummary[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.prefix) {
      where.push('substr(p.path_lower, 1, ?) = ?');
      params.push(filter.prefix.length, filter.prefix.toLowerCase());
    }
    if (filter.category) {
      where.push('p.category_lower = ?');
      params.push(filter.category.toLowerCase());
    }
    if (filter.tag) {
      where.push('EXISTS (SELECT 1 FROM page_tags t WHERE t.page_id = p.id AND t.tag_lower = ?)');
      params.push(filter.tag.toLowerCase());
    }
    if (filter.updatedSince) {
      where.push('julianday(p.updated_at) >= julianday(?)');
      params.push(filter.updatedSince.toISOString());
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db
      .prepare(`SELECT count(*) FROM pages p ${clause}`)
      .pluck()
      .get(...params) as number;
    const rows = this.db
      .prepare(
        `SELECT p.id, p.path, p.name, p.tags, p.word_count, p.blob, p.last_commit, p.updated_at,
          p.category FROM pages p ${clause} ORDER BY p.path LIMIT ? OFFSET ?`,
      )
      .all(...params, filter.limit ?? -1, filter.offset ?? 0) as PageRow[];
    return { pages: rows.map(toSummary), total };
  }

  commitInfo(sha: string): CommitInfo | undefined {
    const row = this.statements.commit.get(sha) as
      | { sha: string; author_name: string; author_email: string; date: string; message: string }
      | undefined;
    return (
      row && {
        sha: row.sha,
        authorName: row.author_name,
        authorEmail: row.author_email,
        date: row.date,
        message: row.message,
      }
    );
  }

  file(path: string): IndexedFile | undefined {
    const row = this.statements.fileByLower.get(path.toLowerCase()) as FileRow | undefined;
    return row && toFile(row);
  }

  /** Files directly inside a folder (case-insensitive), pages included. */
  filesInFolder(folder: string): IndexedFile[] {
    return (this.statements.filesInFolder.all(folder.toLowerCase()) as FileRow[]).map(toFile);
  }

  /**
   * Every file below a folder, at any depth (case-insensitive); the first `limit` when given, in the
   * order of the lowercased path, which the index gives without sorting the whole folder (a write
   * asks for one file of each folder of its path).
   */
  filesUnder(folder: string, limit = -1): IndexedFile[] {
    const folderKey = folder.toLowerCase();
    // Paths starting with "<folder>/" sort between "<folder>/" and "<folder>0" ('0' follows '/').
    const rows = this.statements.filesUnder.all(`${folderKey}/`, `${folderKey}0`, limit) as FileRow[];
    return rows.map(toFile);
  }

  /** Outgoing link targets (existing pages by their path, missing ones as written) and incoming sources. */
  links(path: string): { linksTo: string[]; linkedFrom: string[] } {
    const page = this.page(path);
    const linksTo = page
      ? (this.statements.linksFrom.all(page.id) as { path: string }[]).map((r) => r.path)
      : [];
    const target = (page?.path ?? path).toLowerCase();
    const linkedFrom = (this.statements.linksTo.all(target) as { path: string }[]).map((r) => r.path);
    return { linksTo, linkedFrom };
  }

  graph(): { nodes: string[]; edges: { source: string; target: string }[] } {
    return {
      nodes: this.statements.allPaths.all() as string[],
      edges: this.statements.allEdges.all() as { source: string; target: string }[],
    };
  }

  /** Pages no other page links to. */
  orphans(): string[] {
    return this.statements.orphans.all() as string[];
  }

  /**
   * BM25 full-text search over display name and body, for an FTS5 query made by `toFtsQuery`:
   * one page of the ranking and the number of all matches.
   */
  search(ftsQuery: string, page: { limit: number; offset?: number }): { pages: RankedPage[]; total: number } {
    const rows = this.statements.search.all({
      query: ftsQuery,
      limit: page.limit,
      offset: page.offset ?? 0,
    }) as { path: string; name: string; rank: number }[];
    return {
      pages: rows.map((r) => ({ path: r.path, name: r.name, score: Math.round(-r.rank * 1000) / 1000 })),
      total: this.statements.searchCount.get(ftsQuery) as number,
    };
  }

  /** How many of the pages at `paths` the FTS5 query matches. */
  countMatchesAmong(ftsQuery: string, paths: string[]): number {
    if (paths.length === 0) return 0;
    return this.statements.searchCountAmong.get({ query: ftsQuery, paths: JSON.stringify(paths) }) as number;
  }

  /** The first `chars` characters of each page's body (frontmatter removed), by path. */
  bodyHeads(paths: string[], chars: number): Map<string, string> {
    const rows = this.statements.bodyHeads.all({ paths: JSON.stringify(paths), chars }) as {
      path: string;
      head: string;
    }[];
    return new Map(rows.map((r) => [r.path, r.head]));
  }
}

interface FileRow {
  path: string;
  blob: string;
  size: number;
  last_commit: string;
  updated_at: string | null;
}

function toFile(row: FileRow): IndexedFile {
  return {
    path: row.path,
    blob: row.blob,
    size: row.size,
    lastCommit: row.last_commit,
    updatedAt: row.updated_at ?? '',
  };
}

function toSummary(row: PageRow): PageSummary {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    category: row.category,
    tags: JSON.parse(row.tags) as string[],
    wordCount: row.word_count,
    blob: row.blob,
    lastCommit: row.last_commit,
    updatedAt: row.updated_at,
  };
}

function toPage(row: PageRow): IndexedPage {
  return {
    ...toSummary(row),
    content: row.content,
    body: row.body,
    frontmatter: row.frontmatter === null ? null : (JSON.parse(row.frontmatter) as Frontmatter),
  };
}

function dropAll(db: Database): void {
  const objects = db
    .prepare(
      "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name NOT LIKE 'sqlite_%'",
    )
    .all() as { type: string; name: string }[];
  for (const { type, name } of objects) {
    if (type === 'trigger') db.exec(`DROP TRIGGER IF EXISTS "${name}"`);
  }
  for (const { type, name } of objects) {
    if (type === 'table' && !name.startsWith('pages_fts_')) db.exec(`DROP TABLE IF EXISTS "${name}"`);
  }
}
