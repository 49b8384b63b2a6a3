import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { PlatformDb } from '../../platform/store.js';

export const SIGNING_ALG = 'RS256';

export interface ServerKeys {
  /** The private signing key (JWK) for access and ID tokens. */
  signing: JWK;
  /** Its public half, what resource servers verify with. */
  verification: JWK;
  /** Keys for signing the authorization server's cookies. */
  cookieKeys: string[];
}

/**
 * The authorization server's key material: generated on first start, kept in the platform store so
 * every replica signs and verifies with the same keys and restarts keep issued tokens valid.
 */
export async function loadServerKeys(db: PlatformDb): Promise<ServerKeys> {
  const signing = JSON.parse(await secret(db, 'oauth_signing_jwk', generateSigningKey)) as JWK;
  const cookieKey = await secret(db, 'oauth_cookie_key', async () => randomBytes(32).toString('base64url'));
  const { d, p, q, dp, dq, qi, ...verification } = signing;
  return { signing, verification, cookieKeys: [cookieKey] };
}

async function generateSigningKey(): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return JSON.stringify({ ...jwk, kid, alg: SIGNING_ALG, use: 'sig' });
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
