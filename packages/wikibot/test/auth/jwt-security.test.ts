import { generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Browser } from '../oauth/support/browser.js';
import { authorizeAsUser, OAuthTestClient, pkce } from '../oauth/support/oauthClient.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let genuine: string;
let base: JWTPayload;
let kid: string;

const REDIRECT = 'http://127.0.0.1:9/callback';
const now = () => Math.floor(Date.now() / 1000);
const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as JWTPayload;
const read = (token: string) => server.call('GET', '/w/main/api/v1/pages', { token });

/** Sign claims with the server's own key (what only the authorization server can do). */
async function mintWithServerKey(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const jwk = server.services.auth.keys?.current().signing;
  if (!jwk) throw new Error('no signing key');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid, ...header })
    .sign(await importJWK(jwk, 'RS256'));
}

beforeAll(async () => {
  server = await startTestServer();
  await server.services.registry.create('other', { title: 'Other', template: false });
  const alice = await createPerson(server, 'alice', { main: 'editor', other: 'editor' });
  const client = await OAuthTestClient.register(server.url, REDIRECT);
  const resource = `${server.url}/w/main/mcp`;
  const { verifier, challenge } = pkce();
  const url = client.authorizeUrl({ scope: 'wiki:read wiki:write', resource, challenge });
  const { callback } = await authorizeAsUser(new Browser(), url, alice, { redirectUri: REDIRECT });
  const tokens = await client.exchange(callback.searchParams.get('code') as string, verifier, resource);
  genuine = tokens.body.access_token as string;
  base = decode(genuine);
  kid = JSON.parse(Buffer.from(genuine.split('.')[0] as string, 'base64url').toString()).kid;
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('JWT access tokens at the resource servers', () => {
  it('accepts the genuine token and one minted with the server key and sound claims', async () => {
    expect((await read(genuine)).status).toBe(200);
    expect(
      (await read(await mintWithServerKey({ ...base, jti: 'fresh', iat: now(), exp: now() + 300 }))).status,
    ).toBe(200);
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    [
      'alg none',
      async () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
        return `${header}.${genuine.split('.')[1]}.`;
      },
      /alg none/,
    ],
    [
      'a key that is not the server key (same kid)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(base).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid }).sign(privateKey);
      },
      /signature verification failed/,
    ],
    [
      'an unknown key id',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(base)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'someone-else' })
          .sign(privateKey);
      },
      /unknown key/,
    ],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const publicJwk = server.services.auth.keys?.current().verification[0];
        const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
        return new SignJWT(base).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid }).sign(secret);
      },
      /algorithm not accepted|unknown key/,
    ],
    [
      'an expired token',
      () => mintWithServerKey({ ...base, iat: now() - 7200, exp: now() - 3600 }),
      /expired/,
    ],
    [
      'a token not valid yet',
      () => mintWithServerKey({ ...base, nbf: now() + 3600, exp: now() + 7200 }),
      /not yet valid/,
    ],
    ['a wrong issuer', () => mintWithServerKey({ ...base, iss: 'https://evil.example' }), /not trusted/],
    [
      'an issuer with line breaks (no header injection)',
      () => mintWithServerKey({ ...base, iss: 'https://evil.example\r\nX-Injected: 1' }),
      /not trusted/,
    ],
    [
      'a wrong audience',
      () => mintWithServerKey({ ...base, aud: 'https://evil.example/w/main/mcp' }),
      /audience/,
    ],
    [
      'an audience of another wiki',
      () => mintWithServerKey({ ...base, aud: `${server.url}/w/other/mcp` }),
      /audience/,
    ],
    [
      'an ID token (typ JWT) passed off as an access token',
      () => mintWithServerKey(base, { typ: 'JWT' }),
      /access token/,
    ],
    ['a token without its grant', () => mintWithServerKey({ ...base, grant_id: 'no-such-grant' }), /revoked/],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = genuine.split('.');
        const payload = Buffer.from(
          JSON.stringify({ ...base, scope: 'wiki:read wiki:write wiki:admin' }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
      /signature verification failed/,
    ],
    [
      'a token for someone whose account does not exist',
      () => mintWithServerKey({ ...base, sub: 'not-a-user' }),
      /no account/,
    ],
  ];

  for (const [name, make, reason] of refusals) {
    it(`refuses ${name} with 401 invalid_token`, async () => {
      const res = await read(await make());
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(res.json.error).toMatch(reason);
    });
  }

  it('never writes a token value to the logs', async () => {
    const spy = vi.spyOn(server.services.logger, 'info');
    try {
      await read(genuine);
      await read(`${genuine}x`);
      const lines = spy.mock.calls.map((call) => JSON.stringify(call));
      expect(lines.some((l) => l.includes('"event":"auth"'))).toBe(true);
      expect(lines.join('\n')).not.toContain(genuine.split('.')[2] as string);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('keys', () => {
  it('publishes only the public half of the signing key', async () => {
    const jwks = (await server.call('GET', '/-/oauth/jwks')).json as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);
  });
});
