import { afterAll, describe, expect, it } from 'vitest';
import { Browser, forms } from '../oauth/support/browser.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers.reverse()) await server.stop();
  for (const dir of new Set(servers.map((s) => s.dataDir))) await removeDir(dir);
});

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/** A data directory whose config allows 2 failures per account, so 8 per client address. */
async function strictDataDir(): Promise<string> {
  const dir = await freshDataDir('wikibot-throttle-');
  await writeWikibotToml(dir, '[auth]\nlogin_max_failures = 2\n');
  return dir;
}

/** Post the login form the way a browser behind `forwardedFor` (through a proxy) would. */
async function signIn(server: TestServer, login: string, password: string, forwardedFor?: string) {
  const browser = new Browser();
  const page = await browser.get(`${server.url}/-/login`);
  const hidden = forms(page.text)[0]?.hidden ?? {};
  return browser.post(
    `${server.url}/-/login`,
    { ...hidden, login, password },
    forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  );
}

describe('sign-in throttling', () => {
  it('is keyed by the account, whichever of its names is typed', async () => {
    const server = await start();
    const carol = await createPerson(server, 'carol');
    await server.services.auth.users.updateProfile(carol.id, { email: 'carol@example.com' });
    for (let i = 0; i < 5; i++) expect((await signIn(server, 'carol', `wrong-guess-${i}`)).status).toBe(401);
    for (const login of ['carol@example.com', 'CAROL', ' Carol@Example.com ']) {
      const res = await signIn(server, login, carol.password);
      expect(res.status, login).toBe(429);
      expect(Number(res.headers.get('retry-after')), login).toBeGreaterThan(0);
      expect(res.text).toContain('Too many failed sign-ins');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('wikibot_session='))).toBe(false);
    }
  });

  it('counts a try before checking the password: many at once get no more than the free tries', async () => {
    const server = await start();
    await createPerson(server, 'gina');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(server, 'gina', `parallel-guess-${i}`)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('is kept in the platform store: another instance on the same data and a restart still throttle', async () => {
    const first = await start();
    const second = await start({ dataDir: first.dataDir });
    const dave = await createPerson(first, 'dave');
    for (let i = 0; i < 5; i++) expect((await signIn(first, 'dave', `wrong-guess-${i}`)).status).toBe(401);
    expect((await signIn(second, 'dave', dave.password)).status).toBe(429);
    await first.restart();
    expect((await signIn(first, 'dave', dave.password)).status).toBe(429);
  });

  it('behind a trusted proxy, slows down the guessing client without locking out others behind it', async () => {
    const server = await start({
      dataDir: await strictDataDir(),
      env: { WIKIBOT_TRUSTED_PROXIES: '127.0.0.1,::1' },
    });
    const erin = await createPerson(server, 'erin');
    const attacker = '203.0.113.9, 127.0.0.1';
    // Spraying many names: each name fails once, the attacker's address many times.
    for (let i = 0; i < 8; i++)
      expect((await signIn(server, `user-${i}`, 'password-guess', attacker)).status).toBe(401);
    const slowed = await signIn(server, 'erin', erin.password, attacker);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // People behind the same proxy, from their own addresses, sign in as usual.
    expect((await signIn(server, 'erin', erin.password, '198.51.100.4')).status).toBe(303);
    expect((await signIn(server, 'erin', erin.password, '2001:db8:5::1')).status).toBe(303);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const server = await start({ dataDir: await strictDataDir() });
    const fay = await createPerson(server, 'fay');
    for (let i = 0; i < 8; i++)
      expect((await signIn(server, `name-${i}`, 'password-guess', `198.51.100.${i}`)).status).toBe(401);
    expect((await signIn(server, 'fay', fay.password, '192.0.2.200')).status).toBe(429);
  });
});
