import { Invalid, NotFound } from '../wiki/errors.js';
import type { PlatformDb } from './store.js';
import { StoreMemo } from './storeMemo.js';

export const ROLES = ['viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  userId: string;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  since: string;
}

export interface Membership {
  wiki: string;
  role: Role;
}

export function parseRole(text: string): Role {
  const role = text.trim().toLowerCase();
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new Invalid(`Unknown role: ${text} (expected one of ${ROLES.join(', ')})`);
  }
  return role as Role;
}

/** Who may do what on each wiki: one role per (wiki, user), and whether anyone may read it. */
export class MemberStore {
  /** Roles by wiki and user, kept while the store is unchanged: every request of a person's credential asks. */
  private readonly roles: StoreMemo<Role | null>;

  constructor(private readonly db: PlatformDb) {
    this.roles = new StoreMemo(db);
  }

  roleOf(wiki: string, userId: string): Promise<Role | null> {
    return this.roles.get(`${wiki}\n${userId}`, async () => {
      const row = await this.db
        .selectFrom('wiki_members')
        .select('role')
        .where('wiki_slug', '=', wiki)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return (row?.role as Role | undefined) ?? null;
    });
  }

  /** Give a user a role on a wiki, replacing any role they had there. */
  async grant(wiki: string, userId: string, role: Role): Promise<void> {
    await this.requireWiki(wiki);
    await this.db
      .insertInto('wiki_members')
      .values({ wiki_slug: wiki, user_id: userId, role, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['wiki_slug', 'user_id']).doUpdateSet({ role }))
      .execute();
  }

  async revoke(wiki: string, userId: string): Promise<void> {
    const result = await this.db
      .deleteFrom('wiki_members')
      .where('wiki_slug', '=', wiki)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new NotFound(`No role on wiki ${wiki} for that user`);
  }

  async list(wiki: string): Promise<Member[]> {
    const rows = await this.db
      .selectFrom('wiki_members')
      .innerJoin('users', 'users.id', 'wiki_members.user_id')
      .select([
        'users.id as userId',
        'users.username as username',
        'users.display_name as displayName',
        'users.email as email',
        'wiki_members.role as role',
        'wiki_members.created_at as since',
      ])
      .where('wiki_members.wiki_slug', '=', wiki)
      .orderBy('users.username')
      .execute();
    return rows.map((row) => ({ ...row, role: row.role as Role }));
  }

  /** The wikis a user has a role on. */
  async wikisOf(userId: string): Promise<Membership[]> {
    const rows = await this.db
      .selectFrom('wiki_members')
      .select(['wiki_slug', 'role'])
      .where('user_id', '=', userId)
      .orderBy('wiki_slug')
      .execute();
    return rows.map((row) => ({ wiki: row.wiki_slug, role: row.role as Role }));
  }

  /** Public wikis may be read by anyone, signed in or not. */
  async setPublic(wiki: string, isPublic: boolean): Promise<void> {
    const result = await this.db
      .updateTable('wikis')
      .set({ is_public: isPublic ? 1 : 0 })
      .where('slug', '=', wiki)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFound(`Wiki not found: ${wiki}`);
  }

  private async requireWiki(wiki: string): Promise<void> {
    const row = await this.db.selectFrom('wikis').select('slug').where('slug', '=', wiki).executeTakeFirst();
    if (!row) throw new NotFound(`Wiki not found: ${wiki}`);
  }
}
