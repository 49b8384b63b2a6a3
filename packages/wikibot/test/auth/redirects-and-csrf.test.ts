import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../src/http/safeNext.js';
import { Browser, forms, type Page } from '../oauth/support/browser.js';
import { OAuthTestClient, type Person, pkce } from '../oauth/support/oauthClient.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Person & { id: string };

beforeAll(async () => {
  server = await startTestServer();
  alice = await createPerson(server, 'alice', { main: 'editor' });
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const url = (path: string) => `${server.url}${path}`;
const basic = `Basic ${Buffer.from('someone:anything-at-all').toString('base64')}`;

/** `next` values that normalise to a protocol-relative or foreign URL, as a query string value. */
const OFF_SITE = [
  '%2F.%2F%2Fevil.example',
  '/..//evil.example',
  '/a/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example/x',
  '/a/%2e%2e/%2e%2e//evil.example',
  '/\\evil.example',
  '/%5C%5Cevil.example',
  '%2F%09%2Fevil.example',
  '//evil.example',
  'https://evil.example/',
];

/** Where a redirect sends the browser, resolved as a browser would. */
function landing(page: Page): URL {
  expect(page.status).toBe(303);
  const raw = page.headers.get('location') as string;
  return new URL(raw, page.url);
}

async function signIn(browser: Browser, next = '/') {
  const page = await browser.get(url(`/-/login?next=${encodeURIComponent(next)}`));
  return browser.submit(page, { login: alice.login, password: alice.password }, '/-/login');
}

describe('open redirects', () => {
  it('the theme switch never leaves the site, whatever next normalises to', async () => {
    for (const next of OFF_SITE) {
      const target = landing(await new Browser().get(url(`/-/theme?set=dark&next=${next}`)));
      expect(target.origin, next).toBe(server.url);
      expect(target.pathname, next).toBe('/');
    }
    const ok = landing(await new Browser().get(url('/-/theme?set=dark&next=%2Fw%2Fmain%2FHome%3Fx%3D1')));
    expect(`${ok.pathname}${ok.search}`).toBe('/w/main/Home?x=1');
  });

  it('login (form and signed-in GET) and logout never leave the site', async () => {
    for (const next of OFF_SITE) {
      const decoded = new URLSearchParams(`n=${next}`).get('n') as string;
      const browser = new Browser();
      const afterLogin = landing(await signIn(browser, decoded));
      expect(afterLogin.origin, `POST login ${next}`).toBe(server.url);
      expect(afterLogin.pathname, `POST login ${next}`).toBe('/');

      const alreadyIn = landing(await browser.get(url(`/-/login?next=${next}`)));
      expect(alreadyIn.origin, `GET login ${next}`).toBe(server.url);
      expect(alreadyIn.pathname, `GET login ${next}`).toBe('/');

      const page = await browser.get(url('/-/login/password'));
      const csrf = forms(page.text)[0]?.hidden._csrf as string;
      const out = landing(await browser.post(url('/-/logout'), { _csrf: csrf, next: decoded }));
      expect(out.origin, `logout ${next}`).toBe(server.url);
      expect(out.pathname, `logout ${next}`).toBe('/');
    }
  });

  it('safeNext resolves against the base URL and keeps only same-origin paths', () => {
    const base = 'https://wiki.example.org';
    expect(safeNext('/w/main/Page?a=1#h', base)).toBe('/w/main/Page?a=1#h');
    expect(safeNext('/w/main/./a/../Page', base)).toBe('/w/main/Page');
    for (const bad of ['/.//evil', '/..//evil', '/a/..//evil', '/%2e//evil', '/%2e%2e//evil', '/\t/evil'])
      expect(safeNext(bad, base), bad).toBe('/');
  });
});

describe('CSRF: a session acts only with the CSRF token, whatever Authorization header comes along', () => {
  it('refuses a profile change and a token creation sent with Authorization: Basic and no CSRF token', async () => {
    const browser = new Browser();
    expect((await signIn(browser)).status).toBe(303);
    const profile = await browser.post(
      url('/-/account/profile'),
      { display_name: 'Alice', email: 'attacker@evil.example' },
      { authorization: basic },
    );
    expect(profile.status).toBe(403);
    expect((await server.services.auth.users.get(alice.id))?.email).toBeNull();

    const before = (await server.services.tokens.list()).length;
    const token = await browser.post(
      url('/-/account/tokens'),
      { name: 'stolen', scopes: 'wiki:read' },
      { authorization: basic },
    );
    expect(token.status).toBe(403);
    expect(await server.services.tokens.list()).toHaveLength(before);

    // The same session with its CSRF token still works.
    const account = await browser.get(url('/-/account'));
    const saved = await browser.submit(
      account,
      { display_name: 'Alice', email: 'alice@example.org' },
      /profile/,
    );
    expect(saved.status).toBe(303);
    expect((await server.services.auth.users.get(alice.id))?.email).toBe('alice@example.org');
  });

  it('refuses consent sent with an Authorization header and no CSRF token: no code is issued', async () => {
    const redirect = 'http://127.0.0.1:9/callback';
    const client = await OAuthTestClient.register(server.url, redirect);
    const browser = new Browser();
    expect((await signIn(browser)).status).toBe(303);
    const { challenge } = pkce();
    const authorize = client.authorizeUrl({
      scope: 'wiki:read wiki:write',
      resource: url('/w/main/mcp'),
      challenge,
    });
    const consent = await browser.follow(await browser.get(authorize), (u) => u.startsWith(redirect));
    expect(consent.url).toContain('/-/oauth/interaction/');
    const forged = await browser.post(
      consent.url,
      { decision: 'allow', scope: '0 wiki:write' },
      { authorization: basic },
    );
    expect(forged.status).toBe(403);
    expect(forged.location ?? '').not.toContain('code=');
    const forgedBearer = await browser.post(
      consent.url,
      { decision: 'allow', scope: '0 wiki:write' },
      { authorization: 'Bearer wbt_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    );
    expect(forgedBearer.status).toBe(403);
    const allowed = await browser.follow(
      await browser.submit(consent, { decision: 'allow', scope: '0 wiki:read' }),
      (u) => u.startsWith(redirect),
    );
    expect(new URL(allowed.location as string).searchParams.get('code'), allowed.location).toBeTruthy();
  });

  it('a request with an Authorization header does not act through the cookie session', async () => {
    const browser = new Browser();
    expect((await signIn(browser)).status).toBe(303);
    const withHeader = await browser.get(url('/-/account'), { authorization: basic });
    expect(withHeader.status).toBe(303);
    expect(withHeader.location).toContain('/-/login');
    expect((await browser.get(url('/-/account'))).status).toBe(200);
  });
});
