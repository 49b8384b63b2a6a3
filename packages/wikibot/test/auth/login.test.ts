import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../src/http/safeNext.js';
import { Browser, forms } from '../oauth/support/browser.js';
import { OAuthTestClient, type Person, pkce } from '../oauth/support/oauthClient.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Person;
let grace: Person;

beforeAll(async () => {
  server = await startTestServer();
  alice = await createPerson(server, 'alice', { main: 'editor' });
  grace = await createPerson(server, 'grace');
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const url = (path: string) => `${server.url}${path}`;

async function loginPage(browser: Browser, next = '/w/main') {
  const page = await browser.get(url(`/-/login?next=${encodeURIComponent(next)}`));
  expect(page.status).toBe(200);
  return page;
}

async function signIn(
  browser: Browser,
  person: Person,
  next = '/w/main',
  overrides: Record<string, string> = {},
) {
  const page = await loginPage(browser, next);
  return browser.submit(page, { login: person.login, password: person.password, ...overrides }, '/-/login');
}

describe('login', () => {
  it('signs in with username and password, sets an HttpOnly SameSite=Lax session cookie and returns to next', async () => {
    const browser = new Browser();
    const res = await signIn(browser, alice, '/w/main/Some%20Page?x=1');
    expect(res.status).toBe(303);
    expect(res.location).toBe(url('/w/main/Some%20Page?x=1'));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('wikibot_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const again = await browser.get(url('/-/login?next=/w/main'));
    expect(again.status).toBe(303);
  });

  it('accepts the e-mail address as login name', async () => {
    await server.services.auth.users.updateProfile(
      (await server.services.auth.users.byUsername('grace'))?.id as string,
      {
        email: 'Grace@Example.org',
      },
    );
    const res = await signIn(new Browser(), { ...grace, login: 'grace@example.org' });
    expect(res.status).toBe(303);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await signIn(new Browser(), { ...alice, password: 'not-the-password' });
    const unknown = await signIn(new Browser(), { login: 'nobody', password: 'not-the-password' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('Wrong username or password.');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('wikibot_session='))).toBe(false);
    }
  });

  it('refuses a login form posted without the CSRF token, with a wrong one, or from another site', async () => {
    const browser = new Browser();
    const page = await loginPage(browser);
    const { hidden } = forms(page.text)[0] as { hidden: Record<string, string> };
    const fields = { login: alice.login, password: alice.password, next: '/' };
    const missing = await browser.post(url('/-/login'), fields);
    const wrong = await browser.post(url('/-/login'), { ...fields, _csrf: 'A'.repeat(43) });
    const crossSite = await browser.post(
      url('/-/login'),
      { ...fields, _csrf: hidden._csrf as string },
      { 'sec-fetch-site': 'cross-site' },
    );
    for (const res of [missing, wrong, crossSite]) {
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('wikibot_session='))).toBe(false);
    }
    expect(missing.text).toContain('CSRF');
    const ok = await browser.post(url('/-/login'), { ...fields, _csrf: hidden._csrf as string });
    expect(ok.status).toBe(303);
  });

  it('refuses password guessing beyond the limit, even the right password, with 429 and Retry-After', async () => {
    const victim = await createPerson(server, 'victim');
    for (let i = 0; i < 5; i++)
      expect((await signIn(new Browser(), { ...victim, password: `guess-${i}-wrong` })).status).toBe(401);
    const blocked = await signIn(new Browser(), victim);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.text).toContain('Too many failed sign-ins');
    expect((await signIn(new Browser(), grace)).status).toBe(303);
  });

  it('never redirects off-site after login (open redirect attempts land on /)', async () => {
    for (const next of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/ok\r\nLocation: https://evil.example',
    ]) {
      const res = await signIn(new Browser(), alice, next);
      expect(res.status).toBe(303);
      expect(new URL(res.location as string).origin).toBe(server.url);
      expect(res.location).toBe(url('/'));
    }
  });

  it('safeNext keeps local paths and drops everything else', () => {
    const base = 'https://wiki.example.org';
    expect(safeNext('/w/main/Page?a=1#h', base)).toBe('/w/main/Page?a=1#h');
    expect(safeNext('/-/oauth/interaction/abc', base)).toBe('/-/oauth/interaction/abc');
    for (const bad of [
      undefined,
      '',
      'w/main',
      '//evil.example',
      '/\\evil',
      'https://wiki.example.org.evil/',
      '/\u0000x',
      'http:/evil',
    ]) {
      expect(safeNext(bad, base)).toBe('/');
    }
  });
});

describe('logout', () => {
  it('needs the CSRF token, then ends the session', async () => {
    const browser = new Browser();
    await signIn(browser, alice);
    const session = browser.cookie(server.url, 'wikibot_session') as string;
    expect(await server.services.auth.sessions.find(session)).not.toBeNull();
    const forged = await browser.post(url('/-/logout'), {});
    expect(forged.status).toBe(403);
    expect(await server.services.auth.sessions.find(session)).not.toBeNull();
    const page = await browser.get(url('/-/login/password'));
    const csrf = forms(page.text)[0]?.hidden._csrf as string;
    const out = await browser.post(url('/-/logout'), { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(await server.services.auth.sessions.find(session)).toBeNull();
    expect(browser.cookie(server.url, 'wikibot_session')).toBeUndefined();
  });
});

describe('one-time passwords', () => {
  it('must be replaced at the first sign-in before anything else works; the old one then stops working', async () => {
    const { users } = server.services.auth;
    await users.create({ username: 'henry', password: 'one-time-pass-123', passwordChangeRequired: true });
    const browser = new Browser();
    const first = await signIn(browser, { login: 'henry', password: 'one-time-pass-123' }, '/w/main');
    expect(first.location).toBe(url(`/-/login/password?next=${encodeURIComponent('/w/main')}`));

    // Skipping the change page: every page leads back to it, every action is refused.
    await server.services.auth.members.grant(
      'main',
      (await users.byUsername('henry'))?.id as string,
      'owner',
    );
    for (const path of ['/-/account', '/w/main/', '/w/main/-/settings', '/']) {
      const page = await browser.get(url(path));
      expect(page.status, path).toBe(303);
      expect(page.location, path).toBe(url(`/-/login/password?next=${encodeURIComponent(path)}`));
    }
    const form = await browser.get(first.location as string);
    expect(form.text).toContain('for one use only');
    const csrf = forms(form.text)[0]?.hidden._csrf as string;
    const tokens = (await server.services.tokens.list()).length;
    const early = await browser.post(url('/-/account/tokens'), {
      _csrf: csrf,
      name: 'early',
      scopes: 'wiki:read',
    });
    expect(early.status).toBe(403);
    expect(early.text).toContain('Choose a new password first');
    expect(await server.services.tokens.list()).toHaveLength(tokens);
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

    const wrongCurrent = await browser.submit(form, {
      current: 'nope-nope-nope',
      password: 'a-brand-new-secret',
      confirm: 'a-brand-new-secret',
    });
    expect(wrongCurrent.status).toBe(400);
    const mismatch = await browser.submit(form, {
      current: 'one-time-pass-123',
      password: 'a-brand-new-secret',
      confirm: 'different-secret',
    });
    expect(mismatch.text).toContain('do not match');
    const done = await browser.submit(form, {
      current: 'one-time-pass-123',
      password: 'a-brand-new-secret',
      confirm: 'a-brand-new-secret',
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(url('/w/main'));
    expect((await users.byUsername('henry'))?.passwordChangeRequired).toBe(false);
    expect((await signIn(new Browser(), { login: 'henry', password: 'one-time-pass-123' })).status).toBe(401);
    expect((await signIn(new Browser(), { login: 'henry', password: 'a-brand-new-secret' })).status).toBe(
      303,
    );
  });
});
