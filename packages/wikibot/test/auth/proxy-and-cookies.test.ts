import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServicesApp } from '../../src/http/app.js';
import { openServices, type Services } from '../../src/services.js';
import { Browser } from '../oauth/support/browser.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';

async function serverWith(toml: string): Promise<TestServer> {
  const dataDir = await freshDataDir('wikibot-proxy-');
  await writeWikibotToml(dataDir, toml);
  return startTestServer({ dataDir });
}

let plain: TestServer;
let proxied: TestServer;
let untrusted: TestServer;

beforeAll(async () => {
  [plain, proxied, untrusted] = await Promise.all([
    startTestServer(),
    serverWith('[auth.proxy]\nenabled = true\nuser_header = "X-Auth-User"\nemail_header = "X-Auth-Email"\n'),
    serverWith('[auth.proxy]\nenabled = true\ntrusted_addresses = ["10.9.8.7"]\n'),
  ]);
});
afterAll(async () => {
  for (const s of [plain, proxied, untrusted]) {
    await s.stop();
    await removeDir(s.dataDir);
  }
});

/** A page that needs a signed-in browser: it names the account, or sends to the login page. */
const whoAmI = (server: TestServer, headers: Record<string, string>, browser = new Browser()) =>
  browser.get(`${server.url}/-/login/password`, headers);

describe('trusted proxy headers', () => {
  it('are ignored unless enabled', async () => {
    const res = await whoAmI(plain, { 'x-forwarded-user': 'mallory' });
    expect(res.status).toBe(303);
    expect(res.location).toContain('/-/login');
    expect(await plain.services.auth.users.byUsername('mallory')).toBeUndefined();
  });

  it('sign the person in when a trusted peer sends them, with the configured header names', async () => {
    const browser = new Browser();
    const res = await whoAmI(
      proxied,
      { 'x-auth-user': 'frank', 'x-auth-email': 'frank@corp.example' },
      browser,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('frank');
    const frank = await proxied.services.auth.users.byIdentity('proxy', 'frank');
    expect(frank?.email).toBe('frank@corp.example');
    expect(browser.cookie(proxied.url, 'wikibot_session')).toBeDefined();
    expect((await whoAmI(proxied, { 'x-auth-user': 'frank' }, browser)).status).toBe(200);
    expect(
      (await proxied.services.auth.users.list()).filter((u) => u.username.startsWith('frank')),
    ).toHaveLength(1);
  });

  it('are ignored from a peer that is not trusted', async () => {
    const res = await whoAmI(untrusted, { 'x-forwarded-user': 'mallory' });
    expect(res.status).toBe(303);
    expect(await untrusted.services.auth.users.byIdentity('proxy', 'mallory')).toBeUndefined();
  });

  it('never count on the REST API, where only bearer credentials are accepted', async () => {
    const res = await proxied.call('GET', '/w/main/api/v1/pages', { headers: { 'x-auth-user': 'frank' } });
    expect(res.status).toBe(401);
  });
});

describe('cookies behind an https base URL', () => {
  let dataDir: string;
  let services: Services;

  beforeAll(async () => {
    dataDir = await freshDataDir('wikibot-https-');
    const config = loadConfig({
      env: { WIKIBOT_DATA: dataDir, WIKIBOT_BASE_URL: 'https://wiki.example.test' },
    });
    services = await openServices(config, pino({ level: 'silent' }));
    await services.auth.users.create({ username: 'ivy', password: 'ivy-password-123' });
  });
  afterAll(async () => {
    await services.close();
    await removeDir(dataDir);
  });

  it('are Secure, and the authorization server advertises https endpoints', async () => {
    const app = createServicesApp(services, () => 'https://wiki.example.test');
    const page = await app.request('https://wiki.example.test/-/login');
    const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('wikibot_csrf=')) as string;
    expect(csrfCookie).toMatch(/Secure/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] as string;
    const login = await app.request('https://wiki.example.test/-/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrfCookie.split(';')[0] as string,
      },
      body: new URLSearchParams({
        login: 'ivy',
        password: 'ivy-password-123',
        _csrf: csrf,
        next: '/',
      }).toString(),
    });
    expect(login.status).toBe(303);
    const session = login.headers.getSetCookie().find((c) => c.startsWith('wikibot_session=')) as string;
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/HttpOnly/);
    const metadata = (await (
      await app.request('https://wiki.example.test/.well-known/oauth-authorization-server')
    ).json()) as {
      issuer: string;
      token_endpoint: string;
    };
    expect(metadata.issuer).toBe('https://wiki.example.test');
    expect(metadata.token_endpoint).toBe('https://wiki.example.test/-/oauth/token');
  });
});
