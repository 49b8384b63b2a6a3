import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, authorize, type Principal } from '../../src/auth/principal.js';
import type { Role } from '../../src/platform/members.js';
import type { Scope } from '../../src/platform/tokens.js';
import type { WikiRecord } from '../../src/platform/wikis.js';
import { createPerson } from '../oauth/support/people.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

const ADMIN_TOKEN = 'automation-token-0123456789abcdef';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { WIKIBOT_ADMIN_TOKEN: ADMIN_TOKEN } });
  await server.services.registry.create('public', { title: 'Public', template: false });
  await server.services.auth.members.setPublic('public', true);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

/** An API token created by a user with this role on `main`. */
async function userToken(name: string, role: Role | null, scopes: Scope[], admin = false): Promise<string> {
  const person = await createPerson(server, name, role ? { main: role } : {}, { admin });
  return (
    await server.services.tokens.create({ wiki: null, name: `${name}'s token`, scopes, userId: person.id })
  ).token;
}

const read = (token?: string, slug = 'main') =>
  server.call('GET', `/w/${slug}/api/v1/pages`, token ? { token } : {});
const write = (token: string | undefined, page: string, slug = 'main') =>
  server.call('PUT', `/w/${slug}/api/v1/pages/${page}`, {
    ...(token ? { token } : {}),
    body: { content: `# ${page}` },
  });

describe('role on the wiki ∩ token scopes', () => {
  const ALL: Scope[] = ['wiki:read', 'wiki:write', 'wiki:admin'];
  const cases: [string, Role | null, Scope[], { read: number; write: number }][] = [
    ['viewer with every scope', 'viewer', ALL, { read: 200, write: 403 }],
    ['editor with every scope', 'editor', ALL, { read: 200, write: 201 }],
    ['owner with every scope', 'owner', ALL, { read: 200, write: 201 }],
    ['editor with a read-only token', 'editor', ['wiki:read'], { read: 200, write: 403 }],
    ['owner with a write-only token', 'owner', ['wiki:write'], { read: 403, write: 201 }],
    ['no role at all', null, ALL, { read: 403, write: 403 }],
  ];
  for (const [title, role, scopes, expected] of cases) {
    it(`${title}: read ${expected.read}, write ${expected.write}`, async () => {
      const token = await userToken(title.replace(/\W+/g, '-').toLowerCase().slice(0, 40), role, scopes);
      expect((await read(token)).status).toBe(expected.read);
      expect((await write(token, `P-${title.replace(/\W+/g, '')}`)).status).toBe(expected.write);
    });
  }

  it('a missing scope answers insufficient_scope (a wider token helps); a missing role does not', async () => {
    const scopeShort = await write(await userToken('scope-short', 'editor', ['wiki:read']), 'X1');
    expect(scopeShort.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    const roleShort = await write(await userToken('role-short', 'viewer', ALL), 'X2');
    expect(roleShort.status).toBe(403);
    expect(roleShort.headers.get('www-authenticate')).toBeNull();
    expect(roleShort.json.error).toContain('role viewer');
  });

  it('platform admins act as owners of every wiki', async () => {
    const token = await userToken('root', null, ALL, true);
    expect((await write(token, 'ByAdmin')).status).toBe(201);
  });

  it('tokens of a disabled account are refused', async () => {
    const token = await userToken('leaver', 'editor', ALL);
    expect((await read(token)).status).toBe(200);
    const leaver = await server.services.auth.users.byUsername('leaver');
    await server.services.auth.users.setDisabled(leaver?.id as string, true);
    const res = await read(token);
    expect(res.status).toBe(401);
    expect(res.json.error).toContain('disabled');
  });
});

describe('credentials without an account keep working as before', () => {
  it('an API token made without a user: its scopes alone, bound to its wiki', async () => {
    const token = await server.token(['wiki:read', 'wiki:write'], 'main');
    expect((await write(token, 'Legacy')).status).toBe(201);
    expect((await read(token, 'public')).status).toBe(200);
    expect((await write(token, 'Legacy', 'public')).status).toBe(403);
  });

  it('WIKIBOT_ADMIN_TOKEN may do anything on any wiki', async () => {
    expect((await write(ADMIN_TOKEN, 'Automation')).status).toBe(201);
    expect((await write(ADMIN_TOKEN, 'Automation', 'public')).status).toBe(201);
  });
});

describe('public wikis', () => {
  it('anyone may read; writing still needs a credential', async () => {
    expect((await read(undefined, 'public')).status).toBe(200);
    expect((await read(undefined, 'main')).status).toBe(401);
    expect((await write(undefined, 'Anon', 'public')).status).toBe(401);
  });
});

describe('authorize()', () => {
  const wiki: WikiRecord = { slug: 'w', title: 'W', isPublic: false, createdAt: '' };
  const principal = (over: Partial<Principal>): Principal => ({
    subject: 'user:1',
    actor: { name: 'n', email: 'e@x' },
    scopes: new Set<Scope>(['wiki:read', 'wiki:write', 'wiki:admin']),
    wikis: '*',
    ...over,
  });
  const user = (role: Role | null, isAdmin = false) => ({
    id: '1',
    username: 'u',
    isAdmin,
    roleOn: async () => role,
  });

  it('explains every refusal', async () => {
    expect(await authorize(ANONYMOUS, wiki, 'read')).toBe('authentication required');
    expect(await authorize(ANONYMOUS, { ...wiki, isPublic: true }, 'read')).toBeNull();
    expect(await authorize(principal({ wikis: new Set(['x']) }), wiki, 'read')).toContain(
      "not valid for wiki 'w'",
    );
    expect(await authorize(principal({ scopes: new Set<Scope>(['wiki:read']) }), wiki, 'write')).toBe(
      'missing scope wiki:write',
    );
    expect(await authorize(principal({ user: user(null) }), wiki, 'read')).toContain('no role');
    expect(await authorize(principal({ user: user('editor') }), wiki, 'admin')).toContain('role editor');
    expect(await authorize(principal({ user: user('owner') }), wiki, 'admin')).toBeNull();
    expect(await authorize(principal({ user: user(null, true) }), wiki, 'admin')).toBeNull();
  });
});
