import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { Invalid, NotFound } from '../wiki/errors.js';
import type { PlatformDb, PlatformTables } from './store.js';
import { StoreMemo } from './storeMemo.js';

export const SCOPES = ['wiki:read', 'wiki:write', 'wiki:admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiToken {
  id: string;
  wiki: string | null;
  /** The account the token acts for (its roles bound the scopes); null: the scopes alone. */
  userId: string | null;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const PREFIX = 'wbt_';
/** Don't write last-use times more often than this per token: reads must not become writes. */
const LAST_USED_GRANULARITY_MS = 60_000;

export function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new Invalid(`Unknown scope: ${scope} (expected one of ${SCOPES.join(', ')})`);
    }
  }
  if (scopes.length === 0) throw new Invalid('At least one scope is required');
  return [...new Set(scopes)] as Scope[];
}

/**
 * API tokens: `wbt_<id>_<secret>`, 32 random bytes of secret, shown once, stored as a SHA-256 hash.
 * The id finds the row; the hash is compared in constant time.
 */
export class TokenStore {
  private readonly lastUseWritten = new Map<string, number>();
  /** Rows by id, kept while the store is unchanged: every request bearing a token reads its row. */
  private readonly rows: StoreMemo<Selectable<PlatformTables['api_tokens']> | undefined>;

  constructor(private readonly db: PlatformDb) {
    this.rows = new StoreMemo(db);
  }

  async create(input: {
    wiki: string | null;
    name: string;
    scopes: Scope[];
    expiresAt?: Date;
    /** The account the token acts for. */
    userId?: string | null;
  }): Promise<{ token: string; info: ApiToken }> {
    const name = input.name.trim();
    if (!name || name.length > 100 || /[\r\n<>]/.test(name)) {
      throw new Invalid('Token name must be 1–100 characters without line breaks or angle brackets');
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
      throw new Invalid('Token expiry must be in the future');
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row = {
      id,
      wiki_slug: input.wiki,
      name,
      secret_hash: sha256(secret),
      scopes: input.scopes.join(' '),
      created_at: new Date().toISOString(),
      expires_at: input.expiresAt?.toISOString() ?? null,
      last_used_at: null,
      revoked_at: null,
      user_id: input.userId ?? null,
    };
    await this.db.insertInto('api_tokens').values(row).execute();
    return { token: `${PREFIX}${id}_${secret}`, info: toToken(row) };
  }

  async list(wiki?: string): Promise<ApiToken[]> {
    let query = this.db.selectFrom('api_tokens').selectAll().orderBy('seq');
    if (wiki !== undefined) query = query.where('wiki_slug', '=', wiki);
    return (await query.execute()).map(toToken);
  }

  async revoke(id: string): Promise<void> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFound(`Token not found: ${id}`);
  }

  /** The token a presented value belongs to, if it is genuine, unrevoked and unexpired. */
  async verify(presented: string): Promise<ApiToken | null> {
    const match = /^wbt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(presented);
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const row = await this.rows.get(id, () =>
      this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    if (!row || !constantTimeEqual(presentedDigest(secret), row.secret_hash)) return null;
    if (row.revoked_at) return null;
    if (row.expires_at && Date.parse(row.expires_at) <= Date.now()) return null;
    await this.noteUse(id);
    return toToken(row);
  }

  private async noteUse(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastUseWritten.get(id) ?? 0) < LAST_USED_GRANULARITY_MS) return;
    this.lastUseWritten.set(id, now);
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digests of the credentials presented lately, oldest first: the same few arrive on every request. */
const presentedDigests = new Map<string, string>();
const MAX_PRESENTED_DIGESTS = 256;

/**
 * {@link sha256} of a credential presented with a request, kept for the next request bearing it
 * (a pure computation: every check against the store still runs).
 */
export function presentedDigest(credential: string): string {
  let digest = presentedDigests.get(credential);
  if (digest === undefined) {
    digest = sha256(credential);
    if (presentedDigests.size >= MAX_PRESENTED_DIGESTS) {
      presentedDigests.delete(presentedDigests.keys().next().value as string);
    }
  } else presentedDigests.delete(credential);
  presentedDigests.set(credential, digest);
  return digest;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function toToken(row: {
  id: string;
  wiki_slug: string | null;
  name: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  user_id: string | null;
}): ApiToken {
  return {
    id: row.id,
    wiki: row.wiki_slug,
    userId: row.user_id,
    name: row.name,
    scopes: row.scopes.split(' ') as Scope[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
