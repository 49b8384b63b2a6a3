import { request } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/http/server.js';
import { openServices, type Services } from '../../src/services.js';
import { Browser } from '../oauth/support/browser.js';
import { OAuthTestClient, pkce } from '../oauth/support/oauthClient.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

/** A wikibot whose base URL names a host that does not resolve: requests go to its port directly. */
interface HostedServer {
  server: RunningServer;
  services: Services;
  dataDir: string;
}

async function startHosted(env: Record<string, string>): Promise<HostedServer> {
  const dataDir = await freshDataDir('wikibot-hosts-');
  const config = loadConfig({ env: { WIKIBOT_DATA: dataDir, WIKIBOT_PORT: '0', ...env } });
  const services = await openServices(config, pino({ level: 'silent' }));
  await services.registry.create('main', { title: 'Main', template: false });
  return { server: await startServer(services), services, dataDir };
}

async function stopHosted({ server, services, dataDir }: HostedServer): Promise<void> {
  await server.close();
  await services.close();
  await removeDir(dataDir);
}

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(
  { server }: HostedServer,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port: server.port, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectPageHeaders(headers: Headers, what: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  expect(headers.get('cache-control'), what).toBe('no-store');
}

describe('sign-in and consent pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  it('send the same security headers as wiki pages (CSP, nosniff, no framing, no caching)', async () => {
    const alice = await createPerson(server, 'alice', { main: 'editor' });
    const browser = new Browser();
    const login = await browser.get(`${server.url}/-/login`);
    expect(login.status).toBe(200);
    expectPageHeaders(login.headers, 'login page');
    const wikiPage = await new Browser().get(`${server.url}/`);
    expectPageHeaders(wikiPage.headers, 'start page');

    const redirect = 'http://127.0.0.1:9/callback';
    const client = await OAuthTestClient.register(server.url, redirect);
    const authorize = client.authorizeUrl({
      scope: 'wiki:read',
      resource: `${server.url}/w/main/mcp`,
      challenge: pkce().challenge,
    });
    let page = await browser.follow(await browser.get(authorize));
    page = await browser.follow(
      await browser.submit(page, { login: alice.login, password: alice.password }, '/-/login'),
    );
    expect(page.url).toContain('/-/oauth/interaction/');
    expect(page.text).toContain('Allow');
    expectPageHeaders(page.headers, 'consent page');
    // The consent form ends in a redirect to the client, which a form-action directive would block.
    expect(page.headers.get('content-security-policy')).not.toContain('form-action');
  });
});

describe('with base_url set', () => {
  let server: HostedServer;
  beforeAll(async () => {
    server = await startHosted({ WIKIBOT_BASE_URL: 'http://wiki.example.test' });
  });
  afterAll(() => stopHosted(server));

  it('answers requests for its own host', async () => {
    const res = await getWithHost(server, '/-/login', { host: 'wiki.example.test' });
    expect(res.status).toBe(200);
    expect((await getWithHost(server, '/-/login', { host: 'WIKI.example.test:80' })).status).toBe(200);
  });

  it('refuses requests for any other host with 421 naming the host it serves', async () => {
    for (const host of [
      'evil.example',
      'wiki.example.test.evil.example',
      'wiki.example.test:8443',
      '127.0.0.1',
    ]) {
      for (const path of ['/-/login', '/w/main/api/v1/pages', '/.well-known/oauth-authorization-server']) {
        const res = await getWithHost(server, path, { host });
        expect(res.status, `${host} ${path}`).toBe(421);
        expect(JSON.parse(res.body).error).toContain('this server answers for wiki.example.test');
      }
    }
  });

  it('believes X-Forwarded-Host only from a trusted proxy', async () => {
    const res = await getWithHost(server, '/-/login', {
      host: 'evil.example',
      'x-forwarded-host': 'wiki.example.test',
    });
    expect(res.status).toBe(421);
  });

  it('keeps /health and /ready answering whatever the Host (probes from pods)', async () => {
    for (const path of ['/health', '/ready']) {
      const res = await getWithHost(server, path, { host: '10.1.2.3:8080' });
      expect(res.status, path).toBe(200);
    }
  });
});

describe('behind a trusted proxy', () => {
  let server: HostedServer;
  beforeAll(async () => {
    server = await startHosted({
      WIKIBOT_BASE_URL: 'https://wiki.example.test',
      WIKIBOT_TRUSTED_PROXIES: '127.0.0.0/8, ::1',
    });
  });
  afterAll(() => stopHosted(server));

  it('takes the host the client asked for from X-Forwarded-Host', async () => {
    const forwarded = { host: '127.0.0.1:8080', 'x-forwarded-host': 'wiki.example.test' };
    expect((await getWithHost(server, '/-/login', forwarded)).status).toBe(200);
    const other = { host: '127.0.0.1:8080', 'x-forwarded-host': 'evil.example' };
    expect((await getWithHost(server, '/-/login', other)).status).toBe(421);
  });
});
