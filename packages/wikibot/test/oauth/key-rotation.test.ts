import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerKeys } from '../../src/auth/oauth/keys.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, openTestStore } from '../support/store.js';
import { Browser } from './support/browser.js';
import { authorizeAsUser, OAuthTestClient, pkce } from './support/oauthClient.js';
import { createPerson } from './support/people.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const kidOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()) as { kid: string }).kid;
const now = () => Math.floor(Date.now() / 1000);

let server: TestServer;
let keys: ServerKeys;
let client: OAuthTestClient;
let resource: string;
let refreshToken: string;
let firstToken: string;

const read = (token: string) => server.call('GET', '/w/main/api/v1/pages', { token });
const published = async () =>
  ((await server.call('GET', '/-/oauth/jwks')).json as { keys: { kid: string }[] }).keys.map((k) => k.kid);
/** A fresh access token through the refresh grant (the refresh token rotates). */
async function refreshed(): Promise<string> {
  const response = await client.refresh(refreshToken, resource);
  expect(response.status).toBe(200);
  refreshToken = response.body.refresh_token as string;
  return response.body.access_token as string;
}
/** Time passing, as the key table sees it: a key began signing `secondsAgo` ago. */
async function signingSince(kid: string, secondsAgo: number): Promise<void> {
  await server.services.db
    .updateTable('signing_keys')
    .set({ signs_from: now() - secondsAgo })
    .where('kid', '=', kid)
    .execute();
  await keys.refresh();
}

beforeAll(async () => {
  server = await startTestServer();
  keys = server.services.auth.keys as ServerKeys;
  const alice = await createPerson(server, 'alice', { main: 'editor' });
  client = await OAuthTestClient.register(server.url, REDIRECT);
  resource = `${server.url}/w/main/mcp`;
  const { verifier, challenge } = pkce();
  const url = client.authorizeUrl({ scope: 'wiki:read offline_access', resource, challenge });
  const { callback } = await authorizeAsUser(new Browser(), url, alice, { redirectUri: REDIRECT });
  const tokens = await client.exchange(callback.searchParams.get('code') as string, verifier, resource);
  firstToken = tokens.body.access_token as string;
  refreshToken = tokens.body.refresh_token as string;
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('signing key rotation', () => {
  it('publishes the new key before it signs, signs with it when due, and keeps the old one until its tokens expire', async () => {
    const oldKid = kidOf(firstToken);
    expect(await published()).toEqual([oldKid]);
    // Re-reading unchanged keys hands out the same key set (the authorization server is kept).
    const unchanged = keys.current();
    await keys.refresh();
    expect(keys.current()).toBe(unchanged);

    await keys.rotate();
    const newKid = keys
      .current()
      .verification.map((k) => k.kid)
      .find((kid) => kid !== oldKid) as string;
    expect(newKid).toBeDefined();
    // Published at once, but tokens are still signed with the old key until the lead time has passed.
    expect((await published()).sort()).toEqual([oldKid, newKid].sort());
    expect(kidOf(await refreshed())).toBe(oldKid);

    await signingSince(newKid, 1);
    const newToken = await refreshed();
    expect(kidOf(newToken)).toBe(newKid);
    expect((await read(newToken)).status).toBe(200);
    // Tokens signed before the switch stay good, and their key stays published.
    expect((await read(firstToken)).status).toBe(200);
    expect((await published()).sort()).toEqual([oldKid, newKid].sort());

    // Once every token the old key signed has expired, it is gone from the JWKS and the store.
    await signingSince(newKid, 2 * 3600);
    expect(await published()).toEqual([newKid]);
    const stored = await server.services.db.selectFrom('signing_keys').select('kid').execute();
    expect(stored.map((row) => row.kid)).toEqual([newKid]);
    const refused = await read(firstToken);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toMatch(/unknown key/);
    expect((await read(newToken)).status).toBe(200);
  });
});

describe('an installation from before key rotation', () => {
  it('keeps signing with the key it had: the upgrade makes it the first generation', async () => {
    const dir = await freshDataDir('wikibot-keys-upgrade-');
    // The state before migration 004: one signing key among the secrets, no key table.
    let db = await openTestStore(dir, { upTo: '003_throttles' });
    try {
      const old = JSON.stringify({
        ...(await generateKeyPair('RS256', { extractable: true }).then((k) => exportJWK(k.privateKey))),
        kid: 'old-key',
        alg: 'RS256',
        use: 'sig',
      });
      await db
        .insertInto('secrets')
        .values({ name: 'oauth_signing_jwk', value: old, created_at: new Date().toISOString() })
        .execute();
      await db.destroy();

      db = await openTestStore(dir);
      const keys = await ServerKeys.open(db, { tokenLifetimeSeconds: 3600, rotationDays: 90 });
      expect(keys.current().signing.kid).toBe('old-key');
      // Its age is unknown, so rotation is due at once: a successor is published, not yet signing.
      const published = keys.current().verification.map((k) => k.kid);
      expect(published).toHaveLength(2);
      expect(published[0]).toBe('old-key');
      const secrets = await db.selectFrom('secrets').select('name').execute();
      expect(secrets.map((s) => s.name)).not.toContain('oauth_signing_jwk');
    } finally {
      await db.destroy();
      await removeDir(dir);
    }
  });
});

describe('replicas sharing the key table', () => {
  it('one that has not re-read the table yet verifies a token signed with a key another replica rotated in', async () => {
    const dir = await freshDataDir('wikibot-keys-replicas-');
    const [storeA, storeB] = [await openTestStore(dir), await openTestStore(dir)];
    try {
      const policy = { tokenLifetimeSeconds: 3600, rotationDays: 0 };
      const replicaA = await ServerKeys.open(storeA, policy);
      const replicaB = await ServerKeys.open(storeB, policy);
      expect(replicaB.current().signing.kid).toBe(replicaA.current().signing.kid);

      await replicaA.rotate(0);
      const signing = replicaA.current().signing;
      expect(replicaB.current().verification.map((k) => k.kid)).not.toContain(signing.kid);
      const token = await new SignJWT({ sub: 'someone' })
        .setProtectedHeader({ alg: 'RS256', kid: signing.kid as string })
        .sign(await importJWK(signing, 'RS256'));
      const { payload } = await jwtVerify(token, replicaB.verificationKeys);
      expect(payload.sub).toBe('someone');
      expect(replicaB.current().signing.kid).toBe(signing.kid);
    } finally {
      await Promise.all([storeA.destroy(), storeB.destroy()]);
      await removeDir(dir);
    }
  });
});
