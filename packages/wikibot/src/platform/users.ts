import { randomUUID } from 'node:crypto';
import { hashPassword, passwordProblem, verifyNothing, verifyPassword } from '../auth/passwords.js';
import { Conflict, Invalid, NotFound } from '../wiki/errors.js';
import { isUniqueViolation } from './dialect.js';
import type { PlatformDb, PlatformTables } from './store.js';
import { StoreMemo } from './storeMemo.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const EMAIL_PATTERN = /^[^\s@<>]+@[^\s@<>]+$/;

export interface User {
  id: string;
  username: string;
  email: string | null;
  displayName: string;
  isAdmin: boolean;
  disabled: boolean;
  hasPassword: boolean;
  passwordChangeRequired: boolean;
  createdAt: string;
}

export interface NewUser {
  username: string;
  email?: string | null;
  displayName?: string;
  password?: string;
  isAdmin?: boolean;
  passwordChangeRequired?: boolean;
}

/** An identity asserted by another system: an upstream OpenID provider, an external issuer, a proxy. */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  /** Hints for a new account's username, e-mail and display name. */
  username?: string;
  email?: string;
  displayName?: string;
}

type UserRow = PlatformTables['users'];

/** Accounts: local passwords (scrypt), links to external identities, the first-run admin. */
export class UserStore {
  /** Rows by id, kept while the store is unchanged: every request of a person's credential reads one. */
  private readonly rows: StoreMemo<UserRow | undefined>;

  constructor(private readonly db: PlatformDb) {
    this.rows = new StoreMemo(db);
  }

  async create(input: NewUser): Promise<User> {
    const username = normalizeUsername(input.username);
    const email = input.email ? normalizeEmail(input.email) : null;
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password);
      if (problem) throw new Invalid(problem);
    }
    if (await this.byUsername(username)) throw new Conflict(`User already exists: ${username}`);
    if (
      email &&
      (await this.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())
    ) {
      throw new Conflict(`Another account already uses the e-mail address ${email}`);
    }
    const row: UserRow = {
      id: randomUUID(),
      username,
      email,
      display_name: cleanDisplayName(input.displayName) || username,
      password_hash: input.password === undefined ? null : await hashPassword(input.password),
      is_admin: input.isAdmin ? 1 : 0,
      disabled: 0,
      password_change_required: input.passwordChangeRequired ? 1 : 0,
      created_at: new Date().toISOString(),
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (error) {
      // Another process created the same account between the check above and this insert.
      if (isUniqueViolation(error)) {
        throw new Conflict(`User already exists: ${username}`);
      }
      throw error;
    }
    return toUser(row);
  }

  async get(id: string): Promise<User | undefined> {
    const row = await this.rows.get(id, () =>
      this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return row && toUser(row);
  }

  async byUsername(username: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();
    return row && toUser(row);
  }

  /** The account a username or e-mail address names. */
  async byLogin(login: string): Promise<User | undefined> {
    const row = await this.rowByLogin(login);
    return row && toUser(row);
  }

  /** The account named by username, or a NotFound naming it. */
  async require(username: string): Promise<User> {
    const user = await this.byUsername(username);
    if (!user) throw new NotFound(`User not found: ${username}`);
    return user;
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The enabled account `login` names whose password is `password`; null otherwise (same work either way). */
  async checkPassword(login: string, password: string): Promise<User | null> {
    const row = await this.rowByLogin(login);
    if (!row?.password_hash || password.length > 1024) {
      await verifyNothing(password.slice(0, 1024));
      return null;
    }
    const matches = await verifyPassword(password, row.password_hash);
    return matches && row.disabled === 0 ? toUser(row) : null;
  }

  async setPassword(id: string, password: string, options: { changeRequired?: boolean } = {}): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new Invalid(problem);
    await this.update(id, {
      password_hash: await hashPassword(password),
      password_change_required: options.changeRequired ? 1 : 0,
    });
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.update(id, { disabled: disabled ? 1 : 0 });
    if (disabled) await this.db.deleteFrom('sessions').where('user_id', '=', id).execute();
  }

  async updateProfile(id: string, profile: { email?: string | null; displayName?: string }): Promise<void> {
    const changes: Partial<UserRow> = {};
    if (profile.displayName !== undefined) {
      const name = cleanDisplayName(profile.displayName);
      if (!name) throw new Invalid('Display name must not be empty');
      changes.display_name = name;
    }
    if (profile.email !== undefined) {
      changes.email = profile.email ? normalizeEmail(profile.email) : null;
      if (changes.email) {
        const other = await this.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', changes.email)
          .executeTakeFirst();
        if (other && other.id !== id)
          throw new Conflict(`Another account already uses the e-mail address ${changes.email}`);
      }
    }
    await this.update(id, changes);
  }

  /** The account linked to an external identity, if any. */
  async byIdentity(issuer: string, subject: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('user_identities')
      .innerJoin('users', 'users.id', 'user_identities.user_id')
      .selectAll('users')
      .where('user_identities.issuer', '=', issuer)
      .where('user_identities.subject', '=', subject)
      .executeTakeFirst();
    return row && toUser(row);
  }

  /**
   * The account linked to an external identity, creating one (no password, no roles) on first sight.
   * The new username comes from the hints, made unique with a numeric suffix. Safe to call
   * concurrently: account and link are made in one transaction, retried if another request wins.
   */
  async provision(identity: ExternalIdentity): Promise<User> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const linked = await new UserStore(trx).byIdentity(identity.issuer, identity.subject);
          if (linked) return linked;
          const row = await newAccountRow(trx, identity);
          await trx.insertInto('users').values(row).execute();
          await trx
            .insertInto('user_identities')
            .values({
              issuer: identity.issuer,
              subject: identity.subject,
              user_id: row.id,
              created_at: row.created_at,
            })
            .execute();
          return toUser(row);
        });
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  private rowByLogin(login: string): Promise<UserRow | undefined> {
    const key = login.trim().toLowerCase();
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb('username', '=', key), eb('email', '=', key)]))
      .executeTakeFirst();
  }

  private async update(id: string, changes: Partial<UserRow>): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    const result = await this.db.updateTable('users').set(changes).where('id', '=', id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFound(`User not found: ${id}`);
  }
}

function normalizeUsername(username: string): string {
  const name = username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(name)) {
    throw new Invalid(
      `Invalid username: ${username} (1–64 characters: letters, digits, '.', '_' and '-', starting with a letter or digit)`,
    );
  }
  return name;
}

function normalizeEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(value) || value.length > 254) throw new Invalid(`Invalid e-mail address: ${email}`);
  return value;
}

function cleanDisplayName(name: string | undefined): string {
  return (name ?? '')
    .replace(/[\p{Cc}<>]/gu, '')
    .trim()
    .slice(0, 100);
}

/** A fresh account for an external identity, with a username and e-mail nobody has yet. */
async function newAccountRow(db: PlatformDb, identity: ExternalIdentity): Promise<UserRow> {
  const base = usernameFrom(identity);
  let username = base;
  for (
    let n = 2;
    await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    n++
  ) {
    username = `${base.slice(0, 60)}-${n}`;
  }
  const email = identity.email && EMAIL_PATTERN.test(identity.email) ? identity.email.toLowerCase() : null;
  const emailTaken =
    email !== null &&
    (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
  return {
    id: randomUUID(),
    username,
    email: emailTaken ? null : email,
    display_name: cleanDisplayName(identity.displayName || identity.username) || username,
    password_hash: null,
    is_admin: 0,
    disabled: 0,
    password_change_required: 0,
    created_at: new Date().toISOString(),
  };
}

function usernameFrom(identity: ExternalIdentity): string {
  const candidates = [identity.username, identity.email?.split('@')[0], identity.displayName, 'user'];
  for (const candidate of candidates) {
    const name = (candidate ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 60);
    if (USERNAME_PATTERN.test(name)) return name;
  }
  return 'user';
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    disabled: row.disabled === 1,
    hasPassword: row.password_hash !== null,
    passwordChangeRequired: row.password_change_required === 1,
    createdAt: row.created_at,
  };
}
