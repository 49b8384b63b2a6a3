import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../oauth/support/browser.js';
import type { Person } from '../oauth/support/oauthClient.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let vicky: Person & { id: string };
let eddie: Person & { id: string };

beforeAll(async () => {
  server = await startTestServer();
  vicky = await createPerson(server, 'vicky', { main: 'viewer' });
  eddie = await createPerson(server, 'eddie', { main: 'editor' });
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

/** Sign in and ask for a token on the account page, as the form does. */
async function requestToken(person: Person, fields: { wiki: string; scopes: string[] }) {
  const browser = new Browser();
  const login = await browser.get(`${server.url}/-/login?next=%2F-%2Faccount`);
  const account = await browser.follow(
    await browser.submit(login, { login: person.login, password: person.password }, '/-/login'),
  );
  expect(account.url).toBe(`${server.url}/-/account`);
  return browser.submit(account, { name: 'my token', ...fields }, '/-/account/tokens');
}

const tokensOf = async (userId: string) =>
  (await server.services.tokens.list()).filter((t) => t.userId === userId);

describe('a token an account makes for itself', () => {
  it('cannot carry scopes beyond the role: a viewer asking for wiki:admin is refused with the reason', async () => {
    const refused = await requestToken(vicky, { wiki: 'main', scopes: ['wiki:read', 'wiki:admin'] });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('A token cannot have wiki:admin');
    expect(refused.text).toContain('viewer');
    expect(await tokensOf(vicky.id)).toHaveLength(0);

    const everyWiki = await requestToken(vicky, { wiki: '', scopes: ['wiki:write'] });
    expect(everyWiki.status).toBe(422);
    expect(await tokensOf(vicky.id)).toHaveLength(0);

    const read = await requestToken(vicky, { wiki: 'main', scopes: ['wiki:read'] });
    expect(read.status).toBe(200);
    expect((await tokensOf(vicky.id)).map((t) => t.scopes)).toEqual([['wiki:read']]);
  });

  it('may carry what the role allows: an editor gets wiki:write, not wiki:admin', async () => {
    expect((await requestToken(eddie, { wiki: 'main', scopes: ['wiki:read', 'wiki:write'] })).status).toBe(
      200,
    );
    expect((await requestToken(eddie, { wiki: '', scopes: ['wiki:admin'] })).status).toBe(422);
    expect((await tokensOf(eddie.id)).map((t) => t.scopes)).toEqual([['wiki:read', 'wiki:write']]);
  });

  it('may carry any scope for a platform admin', async () => {
    const root = await createPerson(server, 'root', {}, { admin: true });
    expect((await requestToken(root, { wiki: 'main', scopes: ['wiki:admin'] })).status).toBe(200);
  });
});
