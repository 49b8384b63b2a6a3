import type { Config } from '../../config.js';
import { NotFound } from '../../wiki/errors.js';
import type { WikiLimits, WikiUsage } from '../../wiki/limits.js';
import type { PlatformDb } from '../store.js';
import type { WikiRegistry } from '../wikis.js';

/** The four things a wiki's size is limited by, as the store, the API and the configuration name them. */
export const LIMIT_KEYS = ['pages', 'repo_bytes', 'attachment_bytes', 'attachments'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

/** A platform admin's overrides for one wiki: a number (0: unlimited), or null for the configured default. */
export type LimitOverrides = Record<LimitKey, number | null>;

const FIELD: Record<LimitKey, keyof WikiLimits & keyof WikiUsage> = {
  pages: 'pages',
  repo_bytes: 'repoBytes',
  attachment_bytes: 'attachmentBytes',
  attachments: 'attachments',
};

/** One line of a usage report: what the wiki holds and its limit (null: unlimited). */
export interface UsageLine {
  used: number;
  limit: number | null;
}
export type UsageReport = { slug: string } & Record<LimitKey, UsageLine>;

/** How long a process keeps a wiki's limits before reading them again (other replicas' changes). */
const CACHE_MS = 10_000;

/**
 * Per-wiki limits: the configured defaults (`[limits]`), overridden per wiki by a platform admin in
 * the platform store. Each process keeps them for a few seconds; a change made here applies at once.
 */
export class WikiLimitsStore {
  private readonly cache = new Map<string, { at: number; limits: Promise<WikiLimits> }>();

  constructor(
    private readonly db: PlatformDb,
    private readonly defaults: Record<LimitKey, number>,
  ) {}

  /** The limits a wiki's writes and pushes are held to. */
  limits(slug: string): Promise<WikiLimits> {
    const cached = this.cache.get(slug);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.limits;
    const limits = this.overrides(slug).then((overrides) => this.effective(overrides));
    limits.catch(() => this.cache.delete(slug));
    // Bounded by the number of wikis: entries are per registered slug.
    this.cache.set(slug, { at: Date.now(), limits });
    return limits;
  }

  async overrides(slug: string): Promise<LimitOverrides> {
    const row = await this.db
      .selectFrom('wiki_limits')
      .selectAll()
      .where('wiki_slug', '=', slug)
      .executeTakeFirst();
    return Object.fromEntries(LIMIT_KEYS.map((key) => [key, row?.[key] ?? null])) as LimitOverrides;
  }

  /** Set some of a wiki's overrides (keys left out keep theirs; null returns to the default). */
  async setOverrides(slug: string, changes: Partial<LimitOverrides>): Promise<LimitOverrides> {
    const merged = { ...(await this.overrides(slug)), ...changes };
    const values = { ...merged, updated_at: new Date().toISOString() };
    await this.db
      .insertInto('wiki_limits')
      .values({ wiki_slug: slug, ...values })
      .onConflict((conflict) => conflict.column('wiki_slug').doUpdateSet(values))
      .execute();
    this.cache.delete(slug);
    return merged;
  }

  /** A wiki's usage beside its limits. */
  async report(registry: WikiRegistry, slug: string): Promise<UsageReport> {
    if (!(await registry.get(slug))) throw new NotFound(`Wiki not found: ${slug}`);
    const wiki = await registry.wiki(slug);
    const [usage, limits] = await Promise.all([wiki.usage(), this.limits(slug)]);
    const lines = LIMIT_KEYS.map((key) => [
      key,
      { used: usage[FIELD[key]], limit: limits[FIELD[key]] ?? null },
    ]);
    return { slug, ...Object.fromEntries(lines) } as UsageReport;
  }

  private effective(overrides: LimitOverrides): WikiLimits {
    const limits: WikiLimits = {};
    for (const key of LIMIT_KEYS) {
      const value = overrides[key] ?? this.defaults[key];
      if (value > 0) limits[FIELD[key]] = value;
    }
    return limits;
  }
}

/** The `[limits]` defaults of the configuration. */
export function limitDefaults(config: Config): Record<LimitKey, number> {
  const { pages, repo_bytes, attachment_bytes, attachments } = config.limits;
  return { pages, repo_bytes, attachment_bytes, attachments };
}
