import { randomBytes } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { PlatformDb, PlatformTables } from '../../platform/store.js';

export const SIGNING_ALG = 'RS256';
/** How long an ID token lives (oidc-provider's ttl.IdToken). */
export const ID_TOKEN_SECONDS = 3600;
/** A rotated-in key is published this long before it signs, so every cache of the JWKS has it first. */
export const PUBLISH_LEAD_SECONDS = 86_400;
/** How stale this process's copy of the key table may get before it is read again. */
const REFRESH_MS = 60_000;
/** An unknown `kid` makes us re-read the table at once, but not more often than this. */
const FORCED_REFRESH_MS = 5_000;

/** The keys in force at one moment. */
export interface KeySet {
  /** The private key new tokens are signed with. */
  signing: JWK;
  /** Every private key still in use: the signing key first, then keys waiting to sign, then retiring ones. */
  keys: JWK[];
  /** Their public halves: what the JWKS publishes and resource servers verify with. */
  verification: JWK[];
}

export interface KeyPolicy {
  /** The longest a token signed by a key can be valid: a retired key is kept this long. */
  tokenLifetimeSeconds: number;
  /** Make a new signing key when the current one has signed this long (0: never). */
  rotationDays: number;
}

type KeyRow = PlatformTables['signing_keys'];

const epochSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The authorization server's key material, kept in the platform store so every replica signs and
 * verifies with the same keys and restarts keep issued tokens valid. Signing keys rotate: a new key
 * is published in the JWKS a day before it signs; the old one stays published until every token it
 * signed has expired, then is deleted. Each process re-reads the table every minute (or at once when
 * a token names a key it does not know).
 */
export class ServerKeys {
  private rows: KeyRow[] = [];
  private loadedAt = 0;
  private forcedAt = 0;
  private refreshing: Promise<void> | null = null;
  /** The key set last handed out, and what it was made from (the signing kid, then every kid). */
  private snapshot: { made: string; set: KeySet; jwks: JWTVerifyGetKey } | null = null;

  private constructor(
    private readonly db: PlatformDb,
    private readonly policy: KeyPolicy,
    /** Keys for signing the authorization server's cookies. */
    readonly cookieKeys: string[],
  ) {}

  /** Load the keys, creating the first ones if no replica has yet. */
  static async open(db: PlatformDb, policy: KeyPolicy): Promise<ServerKeys> {
    const cookieKey = await secret(db, 'oauth_cookie_key', async () => randomBytes(32).toString('base64url'));
    const keys = new ServerKeys(db, policy, [cookieKey]);
    await keys.refresh();
    return keys;
  }

  /** The keys in force now (re-read from the store in the background when stale). */
  current(): KeySet {
    if (Date.now() - this.loadedAt > REFRESH_MS) void this.refresh().catch(() => undefined);
    return this.compute().set;
  }

  /** A jose key resolver over the published keys; an unknown `kid` re-reads the store once. */
  readonly verificationKeys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await this.compute().jwks(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - this.forcedAt < FORCED_REFRESH_MS)
        throw error;
      this.forcedAt = Date.now();
      await this.refresh();
      return this.compute().jwks(header, token);
    }
  };

  /**
   * Add the next signing key, published now and signing `leadSeconds` from now. Of replicas rotating
   * at once, one adds the key (the generation is the primary key) and all then read it.
   */
  async rotate(leadSeconds = PUBLISH_LEAD_SECONDS): Promise<void> {
    const newest = this.rows.at(-1);
    await this.addKey((newest?.generation ?? 0) + 1, epochSeconds() + leadSeconds);
    await this.refresh();
  }

  /** Read the key table again: create the first key, rotate when due, drop keys no token needs. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reload().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async reload(): Promise<void> {
    let rows = await this.readRows();
    if (rows.length === 0) {
      await this.addKey(1, epochSeconds());
      rows = await this.readRows();
    }
    const newest = rows.at(-1) as KeyRow;
    const rotateAfter = this.policy.rotationDays * 86_400;
    if (rotateAfter > 0 && epochSeconds() - newest.signs_from >= rotateAfter) {
      await this.addKey(newest.generation + 1, epochSeconds() + PUBLISH_LEAD_SECONDS);
      rows = await this.readRows();
    }
    const needed = this.neededFrom(rows);
    if (needed > (rows[0] as KeyRow).generation) {
      await this.db.deleteFrom('signing_keys').where('generation', '<', needed).execute();
      rows = rows.filter((row) => row.generation >= needed);
    }
    this.rows = rows;
    this.loadedAt = Date.now();
  }

  /** The oldest generation whose tokens may still be valid: the one that signed until its successor's tokens outlived it. */
  private neededFrom(rows: KeyRow[]): number {
    const now = epochSeconds();
    let needed = (rows[0] as KeyRow).generation;
    for (let i = 1; i < rows.length; i++) {
      const successor = rows[i] as KeyRow;
      if (successor.signs_from + this.policy.tokenLifetimeSeconds < now) needed = successor.generation;
    }
    return needed;
  }

  private compute(): NonNullable<ServerKeys['snapshot']> {
    const now = epochSeconds();
    const signing = [...this.rows].reverse().find((row) => row.signs_from <= now) ?? (this.rows[0] as KeyRow);
    const made = [signing, ...this.rows].map((row) => row.kid).join(' ');
    // Unchanged keys give the same object, so that the authorization server is rebuilt only on a change.
    if (this.snapshot?.made === made) return this.snapshot;
    const others = this.rows.filter((row) => row !== signing).reverse();
    const keys = [signing, ...others].map((row) => JSON.parse(row.private_jwk) as JWK);
    const verification = keys.map(({ d, p, q, dp, dq, qi, ...publicHalf }) => publicHalf);
    this.snapshot = {
      made,
      set: { signing: keys[0] as JWK, keys, verification },
      jwks: createLocalJWKSet({ keys: verification }),
    };
    return this.snapshot;
  }

  private readRows(): Promise<KeyRow[]> {
    return this.db.selectFrom('signing_keys').selectAll().orderBy('generation').execute();
  }

  private async addKey(generation: number, signsFrom: number): Promise<void> {
    const jwk = await generateSigningKey();
    await this.db
      .insertInto('signing_keys')
      .values({
        generation,
        kid: jwk.kid as string,
        private_jwk: JSON.stringify(jwk),
        signs_from: signsFrom,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('generation').doNothing())
      .execute();
  }
}

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
}

/** The stored value of a secret, creating it first if no replica has yet. */
async function secret(db: PlatformDb, name: string, create: () => Promise<string>): Promise<string> {
  const existing = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto('secrets')
    .values({ name, value: await create(), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await db
    .selectFrom('secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return stored.value;
}
