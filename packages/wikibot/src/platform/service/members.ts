import { Invalid } from '../../wiki/errors.js';
import { type Member, MemberStore, type Role } from '../members.js';
import type { Caller } from './caller.js';
import type { PlatformContext } from './context.js';

/**
 * Who has which role on a wiki. The rule every door obeys: a wiki keeps at least one owner. The check
 * and the change run in one transaction that first writes the wiki's row, so two owners demoting
 * each other at once cannot both succeed (the row lock serialises them on either engine).
 */
export class Members {
  constructor(private readonly ctx: PlatformContext) {}

  /** Owners (and platform admins) see who has which role. */
  async list(caller: Caller, slug: string): Promise<Member[]> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:read');
    return this.ctx.deps.members.list(slug);
  }

  /** Give the account `login` (username or e-mail) a role on the wiki, replacing any it had. */
  async set(caller: Caller, slug: string, login: string, role: Role): Promise<Member> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:admin');
    const user = await this.ctx.account(login);
    await this.change(slug, user.id, role);
    return (await this.ctx.deps.members.list(slug)).find((m) => m.userId === user.id) as Member;
  }

  /** Take the account's role on the wiki away. */
  async remove(caller: Caller, slug: string, login: string): Promise<void> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:admin');
    const user = await this.ctx.account(login);
    await this.change(slug, user.id, null);
  }

  /** Grant (`role`) or revoke (null), refusing to leave the wiki without an owner. */
  async change(slug: string, userId: string, role: Role | null): Promise<void> {
    await this.ctx.deps.db.transaction().execute(async (trx) => {
      // Writing the wiki's row takes its lock: concurrent owner changes on this wiki queue here.
      await trx
        .updateTable('wikis')
        .set((eb) => ({ title: eb.ref('title') }))
        .where('slug', '=', slug)
        .execute();
      const members = new MemberStore(trx);
      if (role !== 'owner') {
        const owners = (await members.list(slug)).filter((m) => m.role === 'owner');
        if (owners.length === 1 && owners[0]?.userId === userId) {
          throw new Invalid('A wiki needs at least one owner: make someone else owner first');
        }
      }
      if (role === null) await members.revoke(slug, userId);
      else await members.grant(slug, userId, role);
    });
  }
}
