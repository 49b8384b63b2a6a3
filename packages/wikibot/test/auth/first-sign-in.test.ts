import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, forms } from '../oauth/support/browser.js';
import { OAuthTestClient, pkce } from '../oauth/support/oauthClient.js';
import { serveProcess } from '../support/cli.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
const url = (path: string) => `${server.url}${path}`;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

async function signIn(browser: Browser, login: string, password: string, next = '/') {
  const page = await browser.get(url(`/-/login?next=${encodeURIComponent(next)}`));
  return browser.submit(page, { login, password }, '/-/login');
}

describe('a one-time password', () => {
  it('reaches nothing but the password change until it is replaced, then stops working', async () => {
    const { users } = server.services.auth;
    const lena = await users.create({
      username: 'lena',
      password: 'one-time-pass-456',
      passwordChangeRequired: true,
    });
    await server.services.auth.members.grant('main', lena.id, 'owner');
    const browser = new Browser();
    const first = await signIn(browser, 'lena', 'one-time-pass-456', '/w/main/');
    expect(first.location).toBe(url(`/-/login/password?next=${encodeURIComponent('/w/main/')}`));

    // Skipping the change page: every page leads back to it.
    for (const path of ['/-/account', '/w/main/', '/w/main/-/settings', '/']) {
      const page = await browser.get(url(path));
      expect(page.status, path).toBe(303);
      expect(page.location, path).toBe(url(`/-/login/password?next=${encodeURIComponent(path)}`));
    }
    // Actions are refused, even with the session's own CSRF token.
    const change = await browser.get(url('/-/login/password'));
    expect(change.status).toBe(200);
    const csrf = forms(change.text)[0]?.hidden._csrf as string;
    const before = (await server.services.tokens.list()).length;
    const token = await browser.post(url('/-/account/tokens'), {
      _csrf: csrf,
      name: 'early',
      scopes: 'wiki:read',
    });
    expect(token.status).toBe(403);
    expect(token.text).toContain('Choose a new password first');
    expect(await server.services.tokens.list()).toHaveLength(before);
    // Connecting an agent ends on the same page.
    const redirect = 'http://127.0.0.1:9/callback';
    const client = await OAuthTestClient.register(server.url, redirect);
    const authorize = client.authorizeUrl({
      scope: 'wiki:read',
      resource: url('/w/main/mcp'),
      challenge: pkce().challenge,
    });
    const oauth = await browser.follow(await browser.get(authorize), (u) => u.startsWith(redirect));
    expect(oauth.url).toContain('/-/login/password');

    const done = await browser.submit(change, {
      current: 'one-time-pass-456',
      password: 'lenas-own-secret-1',
      confirm: 'lenas-own-secret-1',
    });
    expect(done.status).toBe(303);
    expect((await browser.get(url('/-/account'))).status).toBe(200);
    expect((await signIn(new Browser(), 'lena', 'one-time-pass-456')).status).toBe(401);
    expect((await signIn(new Browser(), 'lena', 'lenas-own-secret-1')).status).toBe(303);
  });
});

describe('the first admin of a headless deployment', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wikibot-headless-'));
  });
  afterAll(async () => {
    await removeDir(dataDir);
  });

  it('gets the password from WIKIBOT_ADMIN_PASSWORD: nothing printed, no change forced', async () => {
    const serve = await serveProcess(['--data', dataDir, '--port', '0'], {
      WIKIBOT_ADMIN_PASSWORD: 'headless-admin-secret',
    });
    try {
      expect(serve.output()).not.toContain('One-time password');
      expect(serve.output()).toContain('configured admin_password');
      const browser = new Browser();
      const page = await browser.get(`${serve.url}/-/login?next=%2F-%2Faccount`);
      const login = await browser.submit(
        page,
        { login: 'admin', password: 'headless-admin-secret' },
        '/-/login',
      );
      expect(login.status).toBe(303);
      expect(login.location).toBe(`${serve.url}/-/account`);
      expect((await browser.get(`${serve.url}/-/account`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  });
});
