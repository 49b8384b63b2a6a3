import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledQuery, Selectable } from 'kysely';
import { GitRepository } from '../git/repository.js';
import { WikiIndex } from '../index/wikiIndex.js';
import { Conflict, Invalid, NotFound } from '../wiki/errors.js';
import type { Actor } from '../wiki/types.js';
import { Wiki, type WikiSettings } from '../wiki/wiki.js';
import { isUniqueViolation } from './dialect.js';
import type { PlatformDb, PlatformTables } from './store.js';
import { StoreMemo } from './storeMemo.js';
import { bootstrapPages } from './template.js';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface WikiRecord {
  slug: string;
  title: string;
  isPublic: boolean;
  createdAt: string;
}

/** A deleted wiki, restorable until it is purged. */
export interface DeletedWiki extends WikiRecord {
  deletedAt: string;
}

export interface WikiLocations {
  /** Where the bare repositories live: `<dataDir>/wikis/<slug>/repo.git`. */
  dataDir: string;
  /** Where the derived indexes live (default: next to the repositories). */
  indexDir?: string;
  /** Called before a wiki's index is opened, to seed it when it is missing (index snapshots). */
  seedIndex?: (slug: string, indexFile: string, repo: GitRepository) => Promise<void>;
}

type WikiRow = Selectable<PlatformTables['wikis']>;

/** Wiki records kept per process (misses included, so a flood of unknown slugs is bounded too). */
const MAX_KEPT_RECORDS = 1000;

export const SYSTEM_ACTOR: Actor = { name: 'wikibot', email: 'wikibot@localhost' };

/** The wikis of this deployment: their records, repositories and open services. */
export class WikiRegistry {
  private readonly open = new Map<string, Promise<Wiki>>();
  /** Every door looks the record up first: the lookup compiled once, its answers kept while the store's change stamp holds. */
  private readonly getQuery: CompiledQuery<WikiRow>;
  private readonly records: StoreMemo<WikiRecord | undefined>;

  constructor(
    private readonly db: PlatformDb,
    private readonly locations: WikiLocations,
    private readonly settings: WikiSettings,
    /** Wraps each wiki's repository as it is opened, for metrics; none when they are off. */
    private readonly measure?: (repo: GitRepository) => GitRepository,
  ) {
    this.getQuery = db
      .selectFrom('wikis')
      .selectAll()
      .where('slug', '=', '')
      .where('deleted_at', 'is', null)
      .compile();
    this.records = new StoreMemo(db, MAX_KEPT_RECORDS);
  }

  repoDir(slug: string): string {
    return join(this.wikiDir(slug), 'repo.git');
  }

  indexFile(slug: string): string {
    return join(this.locations.indexDir ?? join(this.locations.dataDir, 'wikis'), slug, 'index.sqlite');
  }

  /** The stored copy of a wiki's index that fresh instances start from: next to its repository. */
  snapshotFile(slug: string): string {
    return join(this.locations.dataDir, 'wikis', slug, 'index.snapshot.sqlite');
  }

  /** The wikis in use (deleted ones are not). */
  async list(): Promise<WikiRecord[]> {
    return (
      await this.db.selectFrom('wikis').selectAll().where('deleted_at', 'is', null).orderBy('slug').execute()
    ).map(toRecord);
  }

  /** A wiki in use; a deleted one is not found. */
  get(slug: string): Promise<WikiRecord | undefined> {
    return this.records.get(slug, async () => {
      const { rows } = await this.db.executeQuery<WikiRow>({ ...this.getQuery, parameters: [slug] });
      return rows[0] && Object.freeze(toRecord(rows[0]));
    });
  }

  /** The deleted wikis (one, when `slug` is given), oldest deletion first. */
  async listDeleted(slug?: string): Promise<DeletedWiki[]> {
    let query = this.db.selectFrom('wikis').selectAll().where('deleted_at', 'is not', null);
    if (slug !== undefined) query = query.where('slug', '=', slug);
    const rows = await query.orderBy('deleted_at').execute();
    return rows.map((row) => ({ ...toRecord(row), deletedAt: row.deleted_at as string }));
  }

  /** Change a wiki's title or visibility (public wikis may be read by anyone). */
  async update(slug: string, changes: { title?: string; isPublic?: boolean }): Promise<WikiRecord> {
    const set: { title?: string; is_public?: number } = {};
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.isPublic !== undefined) set.is_public = changes.isPublic ? 1 : 0;
    if (Object.keys(set).length > 0) {
      await this.db.updateTable('wikis').set(set).where('slug', '=', slug).execute();
    }
    const record = await this.get(slug);
    if (!record) throw new NotFound(`Wiki not found: ${slug}`);
    return record;
  }

  /**
   * Give a wiki a new slug: its row (with members, tokens and invites) and its directories move.
   * Another process that has the wiki open keeps serving nothing under the old slug: every door
   * looks the record up first.
   */
  async rename(slug: string, to: string): Promise<WikiRecord> {
    checkSlug(to);
    const row = await this.db.selectFrom('wikis').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!row) throw new NotFound(`Wiki not found: ${slug}`);
    if (existsSync(this.wikiDir(to))) throw new Conflict(`Wiki already exists: ${to}`);
    try {
      // The new row first, so the members', tokens' and invites' foreign keys always hold.
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('wikis')
          .values({ ...row, slug: to })
          .execute();
        for (const table of ['wiki_members', 'api_tokens', 'invites', 'wiki_limits'] as const) {
          await trx.updateTable(table).set({ wiki_slug: to }).where('wiki_slug', '=', slug).execute();
        }
        await trx.deleteFrom('wikis').where('slug', '=', slug).execute();
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`Wiki already exists: ${to}`);
      throw error;
    }
    await this.forget(slug);
    await rename(this.wikiDir(slug), this.wikiDir(to));
    await rm(this.indexDirOf(slug), { recursive: true, force: true });
    return (await this.get(to)) ?? { ...toRecord(row), slug: to };
  }

  /** Mark a wiki deleted (restorable until purged): it is closed and no door finds it any more. */
  async softDelete(slug: string, at: Date): Promise<void> {
    const result = await this.db
      .updateTable('wikis')
      .set({ deleted_at: at.toISOString() })
      .where('slug', '=', slug)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFound(`Wiki not found: ${slug}`);
    await this.forget(slug);
  }

  async restore(slug: string): Promise<WikiRecord> {
    const result = await this.db
      .updateTable('wikis')
      .set({ deleted_at: null })
      .where('slug', '=', slug)
      .where('deleted_at', 'is not', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFound(`No deleted wiki is called ${slug}`);
    return (await this.get(slug)) as WikiRecord;
  }

  /**
   * Register a wiki. Its repository is created (and filled from the bootstrap template) unless one is
   * already at its place, as after an import.
   */
  async create(
    slug: string,
    options: { title?: string; template?: boolean; actor?: Actor } = {},
  ): Promise<WikiRecord> {
    checkSlug(slug);
    if (await this.get(slug)) throw new Conflict(`Wiki already exists: ${slug}`);
    const [deleted] = await this.listDeleted(slug);
    if (deleted)
      throw new Conflict(`Wiki ${slug} was deleted and can still be restored: choose another slug`);
    const title = options.title?.trim() || slug;
    const fresh = !existsSync(this.repoDir(slug));
    // The row is the claim: of several processes creating the same wiki, one inserts, the others
    // get a Conflict and leave the repository and its template alone.
    try {
      await this.db
        .insertInto('wikis')
        .values({ slug, title, is_public: 0, created_at: new Date().toISOString() })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new Conflict(`Wiki already exists: ${slug}`);
      }
      throw error;
    }
    await mkdir(this.repoDir(slug), { recursive: true });
    await GitRepository.init(this.repoDir(slug)).then((r) => r.close());
    if (fresh && options.template !== false) {
      const wiki = await this.wiki(slug);
      for (const page of bootstrapPages(title)) {
        await wiki.writePage(page.path, page.content, {
          actor: options.actor ?? SYSTEM_ACTOR,
          source: 'cli',
          message: `Create ${page.path}`,
        });
      }
    }
    return (await this.get(slug)) as WikiRecord;
  }

  /** The open service of a registered wiki (opened once per process). */
  wiki(slug: string): Promise<Wiki> {
    let opening = this.open.get(slug);
    if (!opening) {
      opening = this.openWiki(slug);
      this.open.set(slug, opening);
      opening.catch(() => this.open.delete(slug));
    }
    return opening;
  }

  private async openWiki(slug: string): Promise<Wiki> {
    if (!SLUG_PATTERN.test(slug) || !(await this.get(slug))) throw new NotFound(`Wiki not found: ${slug}`);
    const opened = await GitRepository.open(this.repoDir(slug));
    const repo = this.measure?.(opened) ?? opened;
    await this.locations.seedIndex?.(slug, this.indexFile(slug), opened);
    const index = WikiIndex.open(this.indexFile(slug), repo, this.settings.linkStyle);
    return new Wiki(slug, repo, index, this.settings);
  }

  /** The wikis this process has open now. */
  async openWikis(): Promise<Wiki[]> {
    const settled = await Promise.allSettled(this.open.values());
    return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  }

  /** Remove a wiki (in use or deleted) for good: its record, repository and index. */
  async delete(slug: string): Promise<void> {
    const result = await this.db.deleteFrom('wikis').where('slug', '=', slug).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new NotFound(`Wiki not found: ${slug}`);
    await this.forget(slug);
    await rm(this.wikiDir(slug), { recursive: true, force: true });
    await rm(this.indexDirOf(slug), { recursive: true, force: true });
  }

  /** Close a wiki this process has open, so the next use opens it afresh (or finds it gone). */
  private async forget(slug: string): Promise<void> {
    const opening = this.open.get(slug);
    this.open.delete(slug);
    if (opening) await (await opening.catch(() => null))?.close();
  }

  private wikiDir(slug: string): string {
    return join(this.locations.dataDir, 'wikis', slug);
  }

  private indexDirOf(slug: string): string {
    return join(this.indexFile(slug), '..');
  }

  async closeAll(): Promise<void> {
    const wikis = [...this.open.values()];
    this.open.clear();
    await Promise.all(wikis.map(async (w) => (await w.catch(() => null))?.close()));
  }
}

function checkSlug(slug: string): void {
  if (!SLUG_PATTERN.test(slug)) {
    throw new Invalid(`Invalid wiki slug: ${slug} (lowercase letters, digits and '-', 1–63 characters)`);
  }
}

function toRecord(row: { slug: string; title: string; is_public: number; created_at: string }): WikiRecord {
  return { slug: row.slug, title: row.title, isPublic: row.is_public === 1, createdAt: row.created_at };
}
