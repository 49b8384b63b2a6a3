import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { Browser, forms } from '../oauth/support/browser.js';
import { createPerson } from '../oauth/support/people.js';
import { loopbackFetch, startHostModeServer } from '../support/loopbackHosts.js';
import { removeDir, type TestServer } from '../support/server.js';

/**
 * `http.cookie_domain` in host mode: the session cookie signed in on the base URL (localhost) is
 * scoped to the domain, and the same session is recognised on a wiki's host (main.localhost), which
 * clients reach on loopback with the wiki's Host (support/loopbackHosts.ts).
 */
let server: TestServer;
let port: number;
const base = () => `http://localhost:${port}`;

beforeAll(async () => {
  ({ server, port } = await startHostModeServer({
    WIKIBOT_COOKIE_DOMAIN: 'localhost',
  }));
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

/** The page at `url` with the session cookie `session` (as a browser sends a Domain cookie to every host under it). */
function withSession(url: string, session: string): Promise<Response> {
  return loopbackFetch(url, { headers: { accept: 'text/html', cookie: `wikibot_session=${session}` } });
}

describe('one sign-in for the base URL and the wiki hosts', () => {
  it('scopes the session cookie to the domain, and the wiki host knows the session', async () => {
    const person = await createPerson(server, 'carla', { main: 'editor' });
    const browser = new Browser();
    const login = await browser.get(`${base()}/-/login`);
    const signedIn = await browser.submit(login, { login: person.login, password: person.password }, /login/);
    expect(signedIn.status).toBe(303);
    const set = signedIn.headers.getSetCookie().find((line) => line.startsWith('wikibot_session='));
    expect(set).toMatch(/; Domain=localhost(;|$)/);
    const session = browser.cookie(base(), 'wikibot_session') as string;

    const onHost = await withSession(`http://main.localhost:${port}/-/edit/Shared`, session);
    expect(onHost.status).toBe(200);
    expect(await onHost.text()).toContain('name="content"');
    const anonymous = await loopbackFetch(`http://main.localhost:${port}/-/edit/Shared`);
    expect(anonymous.status).toBe(303);
  });

  it('signs out everywhere: logout on a wiki host ends the session and clears the domain cookie', async () => {
    const person = await createPerson(server, 'dora', { main: 'editor' });
    const browser = new Browser();
    const login = await browser.get(`${base()}/-/login`);
    await browser.submit(login, { login: person.login, password: person.password }, /login/);
    const session = browser.cookie(base(), 'wikibot_session') as string;

    expect((await withSession(`${base()}/w/main/-/edit/Shared`, session)).status).toBe(200);
    const host = `http://main.localhost:${port}`;
    const cookie = { cookie: `wikibot_session=${session}` };
    const hostBrowser = new Browser(loopbackFetch);
    const page = await hostBrowser.get(`${host}/-/edit/Shared`, cookie);
    const form = forms(page.text).find((f) => f.action.endsWith('/-/logout'));
    expect(form).toBeDefined();
    const out = await hostBrowser.post(`${host}/-/logout`, { ...form?.hidden }, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().join('\n')).toMatch(/wikibot_session=;.*Domain=localhost/);
    expect((await withSession(`${base()}/w/main/-/edit/Shared`, session)).status).toBe(303);
  });
});

describe('http.cookie_domain is checked at start', () => {
  const env = (extra: Record<string, string>) => ({
    WIKIBOT_BASE_URL: 'https://wiki.example.com',
    WIKIBOT_WIKI_HOST_MODE: 'true',
    ...extra,
  });

  it('must cover the base URL and the wiki domain', () => {
    expect(() =>
      loadConfig({
        env: env({ WIKIBOT_COOKIE_DOMAIN: 'example.com', WIKIBOT_WIKI_DOMAIN: 'wikis.example.com' }),
      }),
    ).not.toThrow();
    expect(() =>
      loadConfig({
        env: env({ WIKIBOT_COOKIE_DOMAIN: 'wikis.example.com', WIKIBOT_WIKI_DOMAIN: 'wikis.example.com' }),
      }),
    ).toThrow(/http\.cookie_domain: must be the base URL's host \(wiki\.example\.com\)/);
    expect(() =>
      loadConfig({
        env: env({ WIKIBOT_COOKIE_DOMAIN: 'wiki.example.com', WIKIBOT_WIKI_DOMAIN: 'wikis.example.com' }),
      }),
    ).toThrow(/must be http\.wiki_domain \(wikis\.example\.com\)/);
  });

  it('is for host mode only', () => {
    expect(() =>
      loadConfig({
        env: { WIKIBOT_BASE_URL: 'https://wiki.example.com', WIKIBOT_COOKIE_DOMAIN: 'example.com' },
      }),
    ).toThrow(ConfigError);
  });
});
