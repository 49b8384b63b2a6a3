import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Code, ConnectError } from '@connectrpc/connect';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, bearerToken } from '../../src/auth/authenticator.js';
import { IdentityUnavailableError } from '../../src/auth/identity.js';
import { MciasVerifier, mciasLogin } from '../../src/auth/mcias.js';
import { OidcVerifier } from '../../src/auth/oidc.js';
import { TOKEN_CACHE_TTL_MS, TokenCache } from '../../src/auth/token-cache.js';
import { readToken, saveToken } from '../../src/auth/token-file.js';
import { IdentityStub } from '../helpers/identity-stub.js';
import { tempDir } from '../helpers/tmp.js';

async function codeOf(work: Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

describe('MCIAS-compatible identity service', () => {
  let identity: IdentityStub;
  beforeAll(async () => {
    identity = await new IdentityStub().start();
    identity.tokens.set('ops-token', { username: 'ops', roles: ['admin', 'deploy'], accountType: 'human' });
    identity.tokens.set('guest-token', { username: 'visitor', roles: ['guest'], accountType: 'human' });
    identity.passwords.set('ops', { password: 'correct horse', token: 'ops-token' });
  });
  afterAll(async () => identity.stop());

  it('validates tokens through POST /v1/token/validate', async () => {
    const verifier = new MciasVerifier(identity.url);
    expect(await verifier.verify('ops-token')).toEqual({
      valid: true,
      identity: { username: 'ops', roles: ['admin', 'deploy'], accountType: 'human' },
    });
    expect((await verifier.verify('nope')).valid).toBe(false);
  });

  it('logs in through POST /v1/auth/login with username, password, service_name and tags', async () => {
    const result = await mciasLogin(identity.url, {
      username: 'ops',
      password: 'correct horse',
      serviceName: 'mcp',
      tags: ['workstation'],
    });
    expect(result.token).toBe('ops-token');
    expect(identity.logins.at(-1)).toEqual({
      username: 'ops',
      password: 'correct horse',
      service_name: 'mcp',
      tags: ['workstation'],
    });
    await expect(
      mciasLogin(identity.url, { username: 'ops', password: 'wrong', serviceName: 'mcp', tags: [] }),
    ).rejects.toThrow('login failed: invalid credentials');
  });

  it('caches a verdict for 30 s by the token hash, then asks again', async () => {
    let now = 1_000_000;
    const authenticator = new Authenticator(
      new MciasVerifier(identity.url),
      new TokenCache(TOKEN_CACHE_TTL_MS, () => now),
    );
    const before = identity.validateCalls;
    expect((await authenticator.identify('Bearer ops-token')).username).toBe('ops');
    now += 29_999;
    await authenticator.identify('bearer ops-token');
    expect(identity.validateCalls - before).toBe(1);
    now += 1;
    await authenticator.identify('Bearer ops-token');
    expect(identity.validateCalls - before).toBe(2);
  });

  it('shares one identity-service call among concurrent checks of one token', async () => {
    const authenticator = new Authenticator(new MciasVerifier(identity.url));
    const before = identity.validateCalls;
    await Promise.all([1, 2, 3, 4].map(() => authenticator.identify('Bearer ops-token')));
    expect(identity.validateCalls - before).toBe(1);
  });

  it('maps missing, invalid and guest tokens to UNAUTHENTICATED and PERMISSION_DENIED', async () => {
    const authenticator = new Authenticator(new MciasVerifier(identity.url));
    expect(await codeOf(authenticator.identify(undefined))).toBe(Code.Unauthenticated);
    expect(await codeOf(authenticator.identify('Basic b3BzOng='))).toBe(Code.Unauthenticated);
    expect(await codeOf(authenticator.identify('Bearer nope'))).toBe(Code.Unauthenticated);
    const guest = await authenticator.identify('Bearer guest-token');
    expect(() => authenticator.authorize(guest)).toThrow(ConnectError);
    expect(await codeOf(Promise.resolve().then(() => authenticator.authorize(guest)))).toBe(
      Code.PermissionDenied,
    );
  });

  it('fails closed with UNAVAILABLE when the identity service is unreachable or answers nonsense', async () => {
    const down = new Authenticator(new MciasVerifier('http://127.0.0.1:9', { timeoutMs: 2000 }));
    expect(await codeOf(down.identify('Bearer ops-token'))).toBe(Code.Unavailable);
    const broken = createServer((_req, res) => {
      res.writeHead(500);
      res.end('{"error":"db down"}');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    await expect(new MciasVerifier(url).verify('x')).rejects.toBeInstanceOf(IdentityUnavailableError);
    broken.close();
  });

  it('reads the bearer token from an authorization header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});

describe('OIDC issuer with JWKS', () => {
  let server: Server;
  let issuer: string;
  let sign: (claims: Record<string, unknown>, expires?: string) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
      else {
        res.writeHead(404);
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sign = (claims, expires = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(privateKey);
  });
  afterAll(() => server.close());

  it('accepts a token signed by the issuer for this audience, with username and roles', async () => {
    const verifier = new OidcVerifier(issuer, 'mcp-agent');
    const token = await sign({ sub: 'u-1', preferred_username: 'alice', roles: ['admin'], aud: 'mcp-agent' });
    expect(await verifier.verify(token)).toEqual({
      valid: true,
      identity: { username: 'alice', roles: ['admin'], accountType: '' },
    });
  });

  it('rejects a wrong audience, an expired token, another issuer and alg none', async () => {
    const verifier = new OidcVerifier(issuer, 'mcp-agent');
    expect((await verifier.verify(await sign({ sub: 'a', aud: 'wiki' }))).valid).toBe(false);
    expect((await verifier.verify(await sign({ sub: 'a', aud: 'mcp-agent' }, '-1m'))).valid).toBe(false);
    const unsigned = new UnsecuredJWT({ sub: 'a', aud: 'mcp-agent' })
      .setIssuer(issuer)
      .setExpirationTime('5m')
      .encode();
    expect((await verifier.verify(unsigned)).valid).toBe(false);
    expect(
      (
        await new OidcVerifier('http://other.invalid', 'mcp-agent', `${issuer}/jwks`).verify(
          await sign({ sub: 'a', aud: 'mcp-agent' }),
        )
      ).valid,
    ).toBe(false);
  });

  it('fails closed when the issuer cannot be reached', async () => {
    await expect(new OidcVerifier('http://127.0.0.1:9', 'mcp-agent').verify('x.y.z')).rejects.toBeInstanceOf(
      IdentityUnavailableError,
    );
  });
});

describe('token file', () => {
  it('saves the token with mode 0600 and reads it back', async () => {
    const dir = await tempDir();
    const path = join(dir.path, 'config', 'mcp', 'token');
    await saveToken(path, 'secret-token');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'config', 'mcp'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toBe('secret-token\n');
    expect(await readToken(path)).toBe('secret-token');
    await expect(readToken(join(dir.path, 'missing'))).rejects.toThrow(/run "mcp login" first/);
    await dir.cleanup();
  });
});
