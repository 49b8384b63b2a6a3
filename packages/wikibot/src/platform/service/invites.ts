import { randomBytes } from 'node:crypto';
import { Conflict, Invalid, NotFound } from '../../wiki/errors.js';
import { ROLES, type Role } from '../members.js';
import type { PlatformTables } from '../store.js';
import { constantTimeEqual, sha256 } from '../tokens.js';
import type { User } from '../users.js';
import type { WikiRecord } from '../wikis.js';
import type { Caller } from './caller.js';
import type { PlatformContext } from './context.js';
import { checkSignUp } from './signup.js';

export interface Invite {
  id: string;
  wiki: string;
  role: Role;
  /** The account that made it; null: the operator. */
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  acceptedBy: string | null;
  revokedAt: string | null;
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
}

/** Who takes an invitation: a signed-in account, or a new account made for the taker. */
export type Taker =
  | { caller: Caller }
  | { newAccount: { username: string; password: string; email?: string; displayName?: string } };

const PREFIX = 'wbi_';
const TOKEN_PATTERN = /^wbi_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const DAY_MS = 86_400_000;
/** The path of an invitation link under the base URL (the web UI's accept page). */
export const INVITE_PATH = '/-/invites/';

/**
 * Invitations to a wiki: single-use links (`wbi_<id>_<secret>`, the secret stored as a SHA-256 hash
 * and compared in constant time) with a role and an expiry. Taking one links the taker's account
 * to the wiki with that role, or first makes an account when the sign-up policy allows it.
 */
export class Invites {
  constructor(private readonly ctx: PlatformContext) {}

  /** Owners invite; the token is returned once, with the link's path under the base URL. */
  async create(
    caller: Caller,
    slug: string,
    input: { role: Role; expiresInDays?: number },
  ): Promise<{ invite: Invite; token: string; path: string }> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:admin');
    const days = input.expiresInDays ?? this.ctx.deps.policy.invite_days;
    if (!(Number.isFinite(days) && days > 0 && days <= 365)) {
      throw new Invalid('An invitation expires after 1 to 365 days');
    }
    if (!(ROLES as readonly string[]).includes(input.role)) throw new Invalid(`Unknown role: ${input.role}`);
    const now = this.ctx.now();
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row: PlatformTables['invites'] = {
      id,
      wiki_slug: slug,
      role: input.role,
      secret_hash: sha256(secret),
      created_by: caller.userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + days * DAY_MS).toISOString(),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    };
    await this.ctx.deps.db.insertInto('invites').values(row).execute();
    const token = `${PREFIX}${id}_${secret}`;
    return { invite: this.toInvite(row), token, path: `${INVITE_PATH}${token}` };
  }

  /** A wiki's invitations, newest first, with their state. */
  async list(caller: Caller, slug: string): Promise<Invite[]> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:read');
    const rows = await this.ctx.deps.db
      .selectFrom('invites')
      .selectAll()
      .where('wiki_slug', '=', slug)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => this.toInvite(row));
  }

  async revoke(caller: Caller, slug: string, id: string): Promise<void> {
    await this.ctx.requireRole(caller, slug, 'owner', 'wiki:admin');
    const result = await this.ctx.deps.db
      .updateTable('invites')
      .set({ revoked_at: this.ctx.now().toISOString() })
      .where('id', '=', id)
      .where('wiki_slug', '=', slug)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFound(`No pending invitation ${id} on wiki ${slug}`);
  }

  /** What an invitation offers (for the page that asks to accept it), if it can still be taken. */
  async peek(token: string): Promise<{ wiki: WikiRecord; role: Role; expiresAt: string }> {
    const { invite, wiki } = await this.pending(token);
    return { wiki, role: invite.role, expiresAt: invite.expiresAt };
  }

  /**
   * Take an invitation, once. A taker who already has a higher role keeps it. A new account is made
   * only as the sign-up policy allows (`invite-only`, `open`; the e-mail domain allow-list).
   */
  async accept(token: string, taker: Taker): Promise<{ user: User; wiki: WikiRecord; role: Role }> {
    const { invite, wiki } = await this.pending(token);
    const { users, members, db } = this.ctx.deps;
    let user: User;
    let made = false;
    if ('caller' in taker) {
      this.ctx.requirePlatformScope(taker.caller, 'wiki:admin');
      user = await this.ctx.account(this.ctx.requireAccount(taker.caller));
    } else {
      checkSignUp(this.ctx.deps.policy, 'invite', taker.newAccount.email);
      user = await users.create(taker.newAccount);
      made = true;
    }
    const now = this.ctx.now().toISOString();
    const claimed = await db
      .updateTable('invites')
      .set({ accepted_at: now, accepted_by: user.id })
      .where('id', '=', invite.id)
      .where('expires_at', '>', now)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) {
      // Another taker was first: the account made for this one is not wanted.
      if (made) await db.deleteFrom('users').where('id', '=', user.id).execute();
      throw new Conflict('This invitation has already been used');
    }
    const held = await members.roleOf(wiki.slug, user.id);
    const role = held !== null && ROLES.indexOf(held) >= ROLES.indexOf(invite.role) ? held : invite.role;
    if (role !== held) await members.grant(wiki.slug, user.id, role);
    return { user, wiki, role };
  }

  /** The invitation a token names, if genuine and still open; else a NotFound or Conflict saying why. */
  private async pending(token: string): Promise<{ invite: Invite; wiki: WikiRecord }> {
    const match = TOKEN_PATTERN.exec(token);
    const row = match
      ? await this.ctx.deps.db
          .selectFrom('invites')
          .selectAll()
          .where('id', '=', match[1] as string)
          .executeTakeFirst()
      : undefined;
    if (!row || !constantTimeEqual(sha256(match?.[2] as string), row.secret_hash)) {
      throw new NotFound('No such invitation');
    }
    const invite = this.toInvite(row);
    if (invite.state === 'accepted') throw new Conflict('This invitation has already been used');
    if (invite.state === 'revoked') throw new Conflict('This invitation was revoked');
    if (invite.state === 'expired') throw new Conflict(`This invitation expired at ${invite.expiresAt}`);
    const wiki = await this.ctx.deps.registry.get(invite.wiki);
    if (!wiki) throw new NotFound(`Wiki not found: ${invite.wiki}`);
    return { invite, wiki };
  }

  private toInvite(row: PlatformTables['invites']): Invite {
    const state = row.accepted_at
      ? 'accepted'
      : row.revoked_at
        ? 'revoked'
        : Date.parse(row.expires_at) <= this.ctx.now().getTime()
          ? 'expired'
          : 'pending';
    return {
      id: row.id,
      wiki: row.wiki_slug,
      role: row.role as Role,
      createdBy: row.created_by,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      acceptedAt: row.accepted_at,
      acceptedBy: row.accepted_by,
      revokedAt: row.revoked_at,
      state,
    };
  }
}
