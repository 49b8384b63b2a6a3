import type { ProgressFn } from '../../index/wikiIndex.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../wiki/errors.js';
import { importRepository } from '../import.js';
import type { Role } from '../members.js';
import type { DeletedWiki, WikiRecord } from '../wikis.js';
import type { Caller } from './caller.js';
import type { PlatformContext } from './context.js';

/** A wiki as its member sees it in "my wikis". */
export interface MyWiki extends WikiRecord {
  /** The caller's role; platform admins without a membership see `owner`. */
  role: Role;
  /** When the last commit landed; null for an empty wiki. */
  lastChange: string | null;
}

export interface NewWiki {
  slug: string;
  title?: string;
  /** bootstrap (default): Home, the usage guide and a page template; empty: no pages. */
  template?: 'bootstrap' | 'empty';
}

export interface WikiChanges {
  title?: string;
  isPublic?: boolean;
  /** A new slug: the wiki's URLs change, its git remote too. */
  slug?: string;
}

const DAY_MS = 86_400_000;

/** Creating, listing, changing, deleting (restorably), restoring and purging wikis. */
export class Wikis {
  constructor(private readonly ctx: PlatformContext) {}

  /** A new wiki; its maker (when an account) becomes its owner, within `max_wikis_per_user`. */
  async create(caller: Caller, input: NewWiki): Promise<WikiRecord> {
    this.ctx.requirePlatformScope(caller, 'wiki:admin');
    const { registry, members, policy } = this.ctx.deps;
    const max = policy.max_wikis_per_user;
    if (max > 0 && !caller.isAdmin && caller.userId !== null) {
      const owned = (await members.wikisOf(caller.userId)).filter((m) => m.role === 'owner').length;
      if (owned >= max) {
        throw new Forbidden(
          `${caller.name} owns ${owned} wikis, the most one account may (max_wikis_per_user = ${max})`,
        );
      }
    }
    const record = await registry.create(input.slug, {
      ...(input.title !== undefined ? { title: cleanTitle(input.title) } : {}),
      template: input.template !== 'empty',
    });
    if (caller.userId !== null) await members.grant(record.slug, caller.userId, 'owner');
    return record;
  }

  /**
   * An existing git or Otterwiki repository (a path or URL) made a wiki, unchanged, with its index
   * built; its maker (when an account) becomes its owner. Only platform admins import: the source is
   * read with this server's file system and network access.
   */
  async import(
    caller: Caller,
    source: string,
    input: { slug: string; title?: string; progress?: ProgressFn },
  ): Promise<WikiRecord> {
    this.ctx.requirePlatformScope(caller, 'wiki:admin');
    if (!caller.isAdmin) throw new Forbidden('Only platform admins may import a repository');
    const record = await importRepository(this.ctx.deps.registry, source, input);
    if (caller.userId !== null) await this.ctx.deps.members.grant(record.slug, caller.userId, 'owner');
    return record;
  }

  /** The wikis the caller has a role on (every wiki for a platform admin), with role and last change. */
  async listMine(caller: Caller): Promise<MyWiki[]> {
    this.ctx.requirePlatformScope(caller, 'wiki:read');
    const { registry, members } = this.ctx.deps;
    const roles = new Map(
      caller.userId === null ? [] : (await members.wikisOf(caller.userId)).map((m) => [m.wiki, m.role]),
    );
    const wikis = (await registry.list()).filter((w) => caller.isAdmin || roles.has(w.slug));
    return Promise.all(
      wikis.map(async (w) => ({
        ...w,
        role: roles.get(w.slug) ?? 'owner',
        lastChange: await this.lastChange(w.slug),
      })),
    );
  }

  /** Every wiki in use (platform admins, the operator). */
  async listAll(caller: Caller): Promise<WikiRecord[]> {
    this.ctx.requireAdmin(caller, 'wiki:read');
    return this.ctx.deps.registry.list();
  }

  /** One wiki, for anyone with a role on it. */
  async get(caller: Caller, slug: string): Promise<WikiRecord> {
    return this.ctx.requireRole(caller, slug, 'viewer', 'wiki:read');
  }

  /** Owners: title, visibility, slug. */
  async update(caller: Caller, slug: string, changes: WikiChanges): Promise<WikiRecord> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:admin');
    const { registry } = this.ctx.deps;
    const title = changes.title !== undefined ? cleanTitle(changes.title) : undefined;
    // The slug first: when it is refused, nothing has changed.
    let current = slug;
    if (changes.slug !== undefined && changes.slug !== slug) {
      if (await registry.get(changes.slug)) throw new Conflict(`Wiki already exists: ${changes.slug}`);
      current = (await registry.rename(slug, changes.slug)).slug;
    }
    return registry.update(current, {
      ...(title !== undefined ? { title } : {}),
      ...(changes.isPublic !== undefined ? { isPublic: changes.isPublic } : {}),
    });
  }

  /** Owners: delete a wiki; it can be restored for the configured retention period. */
  async delete(caller: Caller, slug: string): Promise<{ restorableUntil: string }> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:admin');
    const now = this.ctx.now();
    await this.ctx.deps.registry.softDelete(slug, now);
    return { restorableUntil: this.purgeDate(now.toISOString()).toISOString() };
  }

  /** The deleted wikis the caller owned (all of them for a platform admin), with their purge date. */
  async listDeleted(caller: Caller): Promise<(DeletedWiki & { restorableUntil: string })[]> {
    this.ctx.requirePlatformScope(caller, 'wiki:read');
    const deleted = await this.ctx.deps.registry.listDeleted();
    const owned = caller.isAdmin
      ? deleted
      : (
          await Promise.all(
            deleted.map(async (w) =>
              caller.userId !== null &&
              (await this.ctx.deps.members.roleOf(w.slug, caller.userId)) === 'owner'
                ? [w]
                : [],
            ),
          )
        ).flat();
    return owned
      .filter((w) => this.purgeDate(w.deletedAt) > this.ctx.now())
      .map((w) => ({ ...w, restorableUntil: this.purgeDate(w.deletedAt).toISOString() }));
  }

  /** Owners: bring a deleted wiki back, as it was, before its retention period ends. */
  async restore(caller: Caller, slug: string): Promise<WikiRecord> {
    const { registry } = this.ctx.deps;
    const [deleted] = await registry.listDeleted(slug);
    if (!deleted || this.purgeDate(deleted.deletedAt) <= this.ctx.now()) {
      throw new NotFound(`No restorable deleted wiki is called ${slug}`);
    }
    await this.ctx.checkRole(caller, slug, 'owner', 'wiki:admin');
    return registry.restore(slug);
  }

  /**
   * Remove for good the deleted wikis whose retention period has ended (repository, index, record).
   * Idempotent and safe to run from several processes; returns the slugs purged.
   */
  async purgeExpired(): Promise<string[]> {
    const { registry } = this.ctx.deps;
    const purged: string[] = [];
    for (const wiki of await registry.listDeleted()) {
      if (this.purgeDate(wiki.deletedAt) > this.ctx.now()) continue;
      try {
        await registry.delete(wiki.slug);
        purged.push(wiki.slug);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error; // another process purged it first
      }
    }
    return purged;
  }

  /** Operator only (CLI): remove a wiki at once, in use or deleted, without a retention period. */
  async purge(caller: Caller, slug: string): Promise<void> {
    this.ctx.requireAdmin(caller, 'wiki:admin');
    await this.ctx.deps.registry.delete(slug);
  }

  private purgeDate(deletedAt: string): Date {
    return new Date(Date.parse(deletedAt) + this.ctx.deps.policy.deleted_wiki_retention_days * DAY_MS);
  }

  private async lastChange(slug: string): Promise<string | null> {
    const wiki = await this.ctx.deps.registry.wiki(slug);
    const [last] = await wiki.changelog(1);
    return last?.date ?? null;
  }
}

function cleanTitle(title: string): string {
  const clean = title.replace(/\p{Cc}/gu, '').trim();
  if (!clean || clean.length > 200) throw new Invalid('Wiki title must be 1–200 characters');
  return clean;
}
