import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GitRepository } from '../git/repository.js';
import { WikiIndex } from '../index/wikiIndex.js';
import type { Instrumentation } from '../observability/instrument.js';
import { Conflict, Invalid, NotFound } from '../wiki/errors.js';
import type { Actor } from '../wiki/types.js';
import { Wiki, type WikiSettings } from '../wiki/wiki.js';
import { isUniqueViolation } from './dialect.js';
import type { PlatformDb } from './store.js';
import { bootstrapPages } from './template.js';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface WikiRecord {
  slug: string;
  title: string;
  isPublic: boolean;
  createdAt: string;
}

export interface WikiLocations {
  /** Where the bare repositories live: `<dataDir>/wikis/<slug>/repo.git`. */
  dataDir: string;
  /** Where the derived indexes live (default: next to the repositories). */
  indexDir?: string;
  /** Called before a wiki's index is opened, to seed it when it is missing (index snapshots). */
  seedIndex?: (slug: string, indexFile: string, repo: GitRepository) => Promise<void>;
}

export const SYSTEM_ACTOR: Actor = { name: 'wikibot', email: 'wikibot@localhost' };

/** The wikis of this deployment: their records, repositories and open services. */
export class WikiRegistry {
  private readonly open = new Map<string, Promise<Wiki>>();

  constructor(
    private readonly db: PlatformDb,
    private readonly locations: WikiLocations,
    private readonly settings: WikiSettings,
    /** Wraps each wiki's parts as they are opened (traces, metrics); none when both are off. */
    private readonly instrument?: Instrumentation,
  ) {}

  repoDir(slug: string): string {
    return join(this.locations.dataDir, 'wikis', slug, 'repo.git');
  }

  indexFile(slug: string): string {
    return join(this.locations.indexDir ?? join(this.locations.dataDir, 'wikis'), slug, 'index.sqlite');
  }

  /** The stored copy of a wiki's index that fresh instances start from: next to its repository. */
  snapshotFile(slug: string): string {
    return join(this.locations.dataDir, 'wikis', slug, 'index.snapshot.sqlite');
  }

  async list(): Promise<WikiRecord[]> {
    return (await this.db.selectFrom('wikis').selectAll().orderBy('slug').execute()).map(toRecord);
  }

  async get(slug: string): Promise<WikiRecord | undefined> {
    const row = await this.db.selectFrom('wikis').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * Register a wiki. Its repository is created (and filled from the bootstrap template) unless one is
   * already at its place, as after an import.
   */
  async create(
    slug: string,
    options: { title?: string; template?: boolean; actor?: Actor } = {},
  ): Promise<WikiRecord> {
    if (!SLUG_PATTERN.test(slug)) {
      throw new Invalid(`Invalid wiki slug: ${slug} (lowercase letters, digits and '-', 1–63 characters)`);
    }
    if (await this.get(slug)) throw new Conflict(`Wiki already exists: ${slug}`);
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
    const repo = this.instrument?.repository(opened) ?? opened;
    await this.locations.seedIndex?.(slug, this.indexFile(slug), opened);
    const made = WikiIndex.open(this.indexFile(slug), repo, this.settings.linkStyle);
    const index = this.instrument?.index(made) ?? made;
    const wiki = new Wiki(slug, repo, index, this.settings);
    return this.instrument?.wiki(wiki) ?? wiki;
  }

  /** The wikis this process has open now. */
  async openWikis(): Promise<Wiki[]> {
    const settled = await Promise.allSettled(this.open.values());
    return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  }

  async delete(slug: string): Promise<void> {
    if (!(await this.get(slug))) throw new NotFound(`Wiki not found: ${slug}`);
    const opening = this.open.get(slug);
    this.open.delete(slug);
    if (opening) await (await opening).close();
    await this.db.deleteFrom('wikis').where('slug', '=', slug).execute();
    await rm(join(this.locations.dataDir, 'wikis', slug), { recursive: true, force: true });
    await rm(join(this.indexFile(slug), '..'), { recursive: true, force: true });
  }

  async closeAll(): Promise<void> {
    const wikis = [...this.open.values()];
    this.open.clear();
    await Promise.all(wikis.map(async (w) => (await w.catch(() => null))?.close()));
  }
}

function toRecord(row: { slug: string; title: string; is_public: number; created_at: string }): WikiRecord {
  return { slug: row.slug, title: row.title, isPublic: row.is_public === 1, createdAt: row.created_at };
}
