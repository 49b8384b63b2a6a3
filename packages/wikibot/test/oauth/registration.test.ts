import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OAuthRecords } from '../../src/auth/oauth/records.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';

/** RFC 7591 registration of a public client, optionally as a client behind the trusted proxy. */
async function register(server: TestServer, redirectUris: string[], forwardedFor?: string) {
  const response = await fetch(`${server.url}/-/oauth/register`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({
      client_name: 'Agent',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  const body = (await response.json()) as { client_id?: string; error?: string; error_description?: string };
  return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
}

describe('dynamic client registration: redirect URIs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  it('accepts https and loopback redirect URIs (claude.ai, Claude Code, desktop apps)', async () => {
    for (const uri of [
      'https://claude.ai/api/mcp/auth_callback',
      'http://localhost:33418/callback',
      'http://127.0.0.1:9/callback',
      'http://[::1]:8080/cb',
    ]) {
      const res = await register(server, [uri]);
      expect(res.status, uri).toBe(201);
      expect(res.body.client_id, uri).toBeTruthy();
    }
  });

  it('refuses plain http to another host, and other schemes, naming the URI', async () => {
    for (const uri of [
      'http://evil.example/cb',
      'http://127.0.0.1.evil.example/cb',
      'javascript:alert(1)',
      'myapp:/callback',
    ]) {
      const res = await register(server, ['https://ok.example/cb', uri]);
      expect(res.status, uri).toBe(400);
      expect(res.body.error, uri).toBe('invalid_redirect_uri');
      expect(res.body.error_description, uri).toContain(uri);
    }
  });
});

describe('dynamic client registration: limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    const dataDir = await freshDataDir('wikibot-dcr-');
    await writeWikibotToml(dataDir, '[auth.oauth]\nregistrations_per_address = 3\nmax_clients = 5\n');
    server = await startTestServer({ dataDir, env: { WIKIBOT_TRUSTED_PROXIES: '127.0.0.1,::1' } });
  });
  afterAll(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  const redirect = ['http://127.0.0.1:9/callback'];

  it('slows down one address after a few registrations (429, Retry-After) while others still register', async () => {
    for (let i = 0; i < 3; i++) expect((await register(server, redirect, '203.0.113.7')).status).toBe(201);
    const slowed = await register(server, redirect, '203.0.113.7');
    expect(slowed.status).toBe(429);
    expect(Number(slowed.retryAfter)).toBeGreaterThan(0);
    expect(slowed.body.error_description).toContain('Too many client registrations');
    expect((await register(server, redirect, '198.51.100.8')).status).toBe(201);
  });

  it('refuses registrations beyond the cap on stored clients with 503', async () => {
    expect((await register(server, redirect, '198.51.100.9')).status).toBe(201);
    const full = await register(server, redirect, '198.51.100.10');
    expect(full.status).toBe(503);
    expect(full.body.error_description).toContain('at most 5 registered clients');
    expect(await server.services.auth.records.countClients()).toBe(5);
  });
});

describe('registered clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    vi.useRealTimers();
    await server.stop();
    await removeDir(server.dataDir);
  });

  it('expire when unused for the configured time; each use keeps them', async () => {
    const day = 86_400_000;
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const records = new OAuthRecords(server.services.db, 10 * 86_400);
    const clients = records.adapter('Client');
    await clients.upsert('used-client', { client_id: 'used-client' });
    await clients.upsert('idle-client', { client_id: 'idle-client' });
    vi.setSystemTime(Date.now() + 8 * day);
    expect(await clients.find('used-client')).toBeDefined();
    vi.setSystemTime(Date.now() + 8 * day);
    expect(await clients.find('idle-client')).toBeUndefined();
    expect(await clients.find('used-client')).toEqual({ client_id: 'used-client' });
    expect(await records.countClients()).toBe(1);
  });
});
