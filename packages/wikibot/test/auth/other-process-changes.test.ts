import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberStore } from '../../src/platform/members.js';
import type { PlatformDb } from '../../src/platform/store.js';
import { TokenStore } from '../../src/platform/tokens.js';
import { UserStore } from '../../src/platform/users.js';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir, openTestStore } from '../support/store.js';

// The server keeps what it read from the store while the store is unchanged; these changes are made by
// other processes (the CLI) or another connection, and each must hold from the server's next request.
let dataDir: string;
let server: ServeProcess;
let store: PlatformDb;
const cli = (...args: string[]) => runCli(['--data', dataDir, ...args]);

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-other-process-');
  server = await serveProcess(['--data', dataDir, '--port', '0']); // creates the wiki "main"
  store = await openTestStore(dataDir);
}, 60_000);
afterAll(async () => {
  await store?.destroy();
  await server?.stop();
  await removeDir(dataDir);
});

/** The status of an API page read with `token` (twice first, so whatever the server keeps is warm). */
async function readStatus(token: string): Promise<number> {
  const res = await fetch(`${server.url}/w/main/api/v1/pages/Home`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status;
}

/** A person with `role` on main and an API token of theirs, made through another connection. */
async function personWithToken(username: string, role: 'viewer' | 'editor') {
  const user = await new UserStore(store).create({ username });
  await new MemberStore(store).grant('main', user.id, role);
  const { token } = await new TokenStore(store).create({
    wiki: 'main',
    name: `${username}'s token`,
    scopes: ['wiki:read'],
    userId: user.id,
  });
  return { user, token };
}

describe('changes made by another process reach the running server at its next request', () => {
  it('a token revoked with the CLI is refused', async () => {
    const token = await createTokenWithCli(dataDir, 'wiki:read');
    expect([await readStatus(token), await readStatus(token)]).toEqual([200, 200]);
    await cli('token', 'revoke', token.split('_')[1] as string);
    expect(await readStatus(token)).toBe(401);
  });

  it("a person's role taken away and given back, their account disabled and enabled, with the CLI", async () => {
    const { token } = await personWithToken('jo', 'viewer');
    expect([await readStatus(token), await readStatus(token)]).toEqual([200, 200]);
    await cli('user', 'role', 'jo', '--wiki', 'main', '--role', 'none');
    expect(await readStatus(token)).toBe(403);
    await cli('user', 'role', 'jo', '--wiki', 'main', '--role', 'viewer');
    expect(await readStatus(token)).toBe(200);
    await cli('user', 'disable', 'jo');
    expect(await readStatus(token)).toBe(401);
    await cli('user', 'enable', 'jo');
    expect(await readStatus(token)).toBe(200);
  });

  it("a person's account deleted through another connection", async () => {
    const { user, token } = await personWithToken('kim', 'editor');
    expect([await readStatus(token), await readStatus(token)]).toEqual([200, 200]);
    await store.deleteFrom('api_tokens').where('user_id', '=', user.id).execute();
    await store.deleteFrom('wiki_members').where('user_id', '=', user.id).execute();
    await store.deleteFrom('users').where('id', '=', user.id).execute();
    expect(await readStatus(token)).toBe(401);
  });

  it('a wiki deleted and restored with the CLI', async () => {
    const token = await createTokenWithCli(dataDir, 'wiki:read');
    expect([await readStatus(token), await readStatus(token)]).toEqual([200, 200]);
    await cli('wiki', 'delete', 'main', '--yes');
    expect(await readStatus(token)).toBe(404);
    await cli('wiki', 'restore', 'main');
    expect(await readStatus(token)).toBe(200);
  });
});
