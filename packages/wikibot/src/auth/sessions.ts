import { randomBytes } from 'node:crypto';
import type { PlatformDb } from '../platform/store.js';
import { sha256 } from '../platform/tokens.js';

/** The browser session cookie. */
export const SESSION_COOKIE = 'wikibot_session';

export interface StoredSession {
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

/**
 * Browser sessions: the cookie holds 32 random bytes, the store only their SHA-256, so a copy of
 * the database does not let anyone sign in. Each session carries its own CSRF token.
 */
export class SessionStore {
  constructor(
    private readonly db: PlatformDb,
    private readonly ttlMs: number,
  ) {}

  /** Start a session; the returned value goes into the cookie and nowhere else. */
  async create(userId: string): Promise<{ cookieValue: string; session: StoredSession }> {
    const cookieValue = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session = {
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(now + this.ttlMs).toISOString(),
    };
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: sha256(cookieValue),
        user_id: userId,
        csrf_token: session.csrfToken,
        created_at: new Date(now).toISOString(),
        expires_at: session.expiresAt,
      })
      .execute();
    if (Math.random() < 0.05)
      await this.db.deleteFrom('sessions').where('expires_at', '<', new Date(now).toISOString()).execute();
    return { cookieValue, session };
  }

  /** The live session a cookie value belongs to. */
  async find(cookieValue: string): Promise<StoredSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(cookieValue)) return null;
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', sha256(cookieValue))
      .executeTakeFirst();
    if (!row || Date.parse(row.expires_at) <= Date.now()) return null;
    return { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async destroy(cookieValue: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', sha256(cookieValue)).execute();
  }

  /** Sessions that have not expired. */
  async countOpen(): Promise<number> {
    const row = await this.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('open'))
      .where('expires_at', '>', new Date().toISOString())
      .executeTakeFirstOrThrow();
    return Number(row.open);
  }

  /** Sign a user out everywhere (after a password change, when disabled). */
  async destroyAllFor(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }
}
