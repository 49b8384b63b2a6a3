import type { SessionStore } from '../../auth/sessions.js';
import type { Config } from '../../config.js';
import { Forbidden, NotFound } from '../../wiki/errors.js';
import { type MemberStore, ROLES, type Role } from '../members.js';
import type { PlatformDb } from '../store.js';
import type { Scope, TokenStore } from '../tokens.js';
import type { User, UserStore } from '../users.js';
import type { WikiRecord, WikiRegistry } from '../wikis.js';
import type { Caller } from './caller.js';

/** What the platform service is made of. */
export interface PlatformDeps {
  db: PlatformDb;
  registry: WikiRegistry;
  users: UserStore;
  members: MemberStore;
  tokens: TokenStore;
  sessions: SessionStore;
  policy: Config['platform'];
  /** The current time (tests move it to expire invites and deleted wikis). */
  now?: () => Date;
}

/** The parts every area shares: its dependencies, the clock and the permission checks. */
export class PlatformContext {
  constructor(readonly deps: PlatformDeps) {}

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The account a username, e-mail address or account id names. */
  async account(login: string): Promise<User> {
    const { users } = this.deps;
    const user = (await users.byLogin(login)) ?? (await users.get(login.trim()));
    if (!user) throw new NotFound(`No account is called ${login.trim() || '(empty)'}`);
    return user;
  }

  /** The credential must carry `scope` and be good for every wiki (platform-level calls). */
  requirePlatformScope(caller: Caller, scope: Scope): void {
    if (caller.wikis !== '*')
      throw new Forbidden('This credential is for one wiki; platform calls need one for every wiki');
    requireScope(caller, scope);
  }

  /** Only a platform admin (or the operator) with a credential allowing `scope`. */
  requireAdmin(caller: Caller, scope: Scope): void {
    this.requirePlatformScope(caller, scope);
    if (!caller.isAdmin) throw new Forbidden(`Only platform admins may do this (${caller.name} is not one)`);
  }

  /** The caller's account (a platform call that acts for someone, e.g. "my tokens"). */
  requireAccount(caller: Caller): string {
    if (caller.userId === null) throw new Forbidden('This call acts for an account; the credential has none');
    return caller.userId;
  }

  /**
   * The wiki `slug` if the caller holds at least `role` on it (admins hold every role) and the
   * credential allows `scope` there. A caller with no role at all is told the wiki is not found.
   */
  async requireRole(caller: Caller, slug: string, role: Role, scope: Scope): Promise<WikiRecord> {
    const record = await this.deps.registry.get(slug);
    if (!record) throw new NotFound(`Wiki not found: ${slug}`);
    await this.checkRole(caller, slug, role, scope);
    return record;
  }

  /** As {@link requireRole}, for a wiki that may be deleted (restore). */
  async checkRole(caller: Caller, slug: string, role: Role, scope: Scope): Promise<void> {
    if (caller.wikis !== '*' && !caller.wikis.has(slug)) {
      throw new Forbidden(`This credential is not valid for wiki '${slug}'`);
    }
    requireScope(caller, scope);
    if (caller.isAdmin) return;
    const held = caller.userId === null ? null : await this.deps.members.roleOf(slug, caller.userId);
    if (held === null) throw new NotFound(`Wiki not found: ${slug}`);
    if (ROLES.indexOf(held) < ROLES.indexOf(role)) {
      throw new Forbidden(`This needs the ${role} role on wiki '${slug}'; ${caller.name} is ${held}`);
    }
  }
}

function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) throw new Forbidden(`This credential lacks the scope ${scope}`);
}
