import { generatePassword } from '../../auth/passwords.js';
import { Invalid } from '../../wiki/errors.js';
import type { Membership } from '../members.js';
import type { ExternalIdentity, NewUser, User } from '../users.js';
import type { Caller } from './caller.js';
import type { PlatformContext } from './context.js';
import { checkSignUp } from './signup.js';

export interface AccountChanges {
  disabled?: boolean;
  /** Replace the password with a generated one-time password (changed at next sign-in). */
  resetPassword?: boolean;
  /** Replace the password with this one (the operator choosing it). */
  password?: string;
}

/** Accounts: what platform admins do with them, and how people get one under the sign-up policy. */
export class Accounts {
  constructor(private readonly ctx: PlatformContext) {}

  async list(caller: Caller): Promise<User[]> {
    this.ctx.requireAdmin(caller, 'wiki:read');
    return this.ctx.deps.users.list();
  }

  /**
   * An admin makes an account. Without a password a one-time password is generated, returned once,
   * and must be changed at first sign-in.
   */
  async create(caller: Caller, input: NewUser): Promise<{ user: User; oneTimePassword: string | null }> {
    this.ctx.requireAdmin(caller, 'wiki:admin');
    const oneTimePassword = input.password === undefined ? generatePassword() : null;
    const user = await this.ctx.deps.users.create({
      ...input,
      password: input.password ?? (oneTimePassword as string),
      passwordChangeRequired: oneTimePassword !== null,
    });
    return { user, oneTimePassword };
  }

  /** The wikis an account has a role on. */
  async memberships(caller: Caller, userId: string): Promise<Membership[]> {
    this.ctx.requireAdmin(caller, 'wiki:read');
    return this.ctx.deps.members.wikisOf(userId);
  }

  async get(caller: Caller, login: string): Promise<User> {
    this.ctx.requireAdmin(caller, 'wiki:read');
    return this.find(login);
  }

  /**
   * Disable (sessions end, tokens stop working) or enable an account; reset its password to a
   * one-time password (its sessions end). The new password is returned once.
   */
  async update(
    caller: Caller,
    login: string,
    changes: AccountChanges,
  ): Promise<{ user: User; oneTimePassword: string | null }> {
    this.ctx.requireAdmin(caller, 'wiki:admin');
    const { users } = this.ctx.deps;
    const target = await this.find(login);
    if (changes.disabled && target.id === caller.userId) {
      throw new Invalid('You cannot disable your own account: another platform admin can');
    }
    if (changes.disabled !== undefined) await users.setDisabled(target.id, changes.disabled);
    let oneTimePassword: string | null = null;
    if (changes.password !== undefined) await this.setPassword(target.id, changes.password, false);
    if (changes.resetPassword) {
      oneTimePassword = generatePassword();
      await this.setPassword(target.id, oneTimePassword, true);
    }
    return { user: (await users.get(target.id)) as User, oneTimePassword };
  }

  /** Set an account's password (a chosen one, or one to change at next sign-in); its browser sessions end. */
  private async setPassword(userId: string, password: string, changeRequired: boolean): Promise<void> {
    await this.ctx.deps.users.setPassword(userId, password, { changeRequired });
    await this.ctx.deps.sessions.destroyAllFor(userId);
  }

  /** Someone makes their own account (policy `open`, within the e-mail domain allow-list). */
  async signUp(input: {
    username: string;
    email?: string;
    displayName?: string;
    password: string;
  }): Promise<User> {
    checkSignUp(this.ctx.deps.policy, 'self', input.email);
    return this.ctx.deps.users.create(input);
  }

  /**
   * The account of someone signing in with an upstream provider: the linked one, or a new one when
   * the policy lets upstream sign-ins make accounts (`sso`, `open`).
   */
  async signInExternal(identity: ExternalIdentity): Promise<User> {
    const { users } = this.ctx.deps;
    const linked = await users.byIdentity(identity.issuer, identity.subject);
    if (linked) return linked;
    checkSignUp(this.ctx.deps.policy, 'upstream', identity.email);
    return users.provision(identity);
  }

  /** The account a username, e-mail address or id names. */
  find(login: string): Promise<User> {
    return this.ctx.account(login);
  }
}
