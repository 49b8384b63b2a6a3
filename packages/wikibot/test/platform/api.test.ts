import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/platform/tokens.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

const ADMIN_TOKEN = 'platform-api-admin-token-0123456789';
let server: TestServer;
let ann: string;

/** A user and an API token acting for them, good for every wiki. */
async function personToken(username: string, scopes: readonly Scope[] = SCOPES): Promise<string> {
  const user = await server.services.auth.users.create({ username, password: `${username}-password-1` });
  return (
    await server.services.tokens.create({ wiki: null, name: username, scopes: [...scopes], userId: user.id })
  ).token;
}

beforeAll(async () => {
  server = await startTestServer({
    env: {
      WIKIBOT_SIGNUP: 'invite-only',
      WIKIBOT_ADMIN_TOKEN: ADMIN_TOKEN,
      WIKIBOT_DELETED_WIKI_RETENTION_DAYS: '7',
    },
  });
  ann = await personToken('ann');
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('/api/v1 wikis', () => {
  it('needs a credential of an account', async () => {
    const anonymous = await server.call('GET', '/api/v1/wikis');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const accountless = await server.token(['wiki:read'], null);
    expect(await server.call('GET', '/api/v1/wikis', { token: accountless })).toMatchObject({
      status: 403,
      json: { error: expect.stringContaining('acts for none') },
    });
  });

  it('creates (201), lists mine, changes, deletes and restores a wiki', async () => {
    const created = await server.call('POST', '/api/v1/wikis', {
      token: ann,
      body: { slug: 'handbook', title: 'Handbook' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      slug: 'handbook',
      title: 'Handbook',
      public: false,
      url: `${server.url}/w/handbook/`,
      git_url: `${server.url}/w/handbook.git`,
    });
    const page = await server.call('GET', '/w/handbook/api/v1/pages/Home', { token: ann });
    expect(page.status).toBe(200);

    const mine = await server.call('GET', '/api/v1/wikis', { token: ann });
    expect(mine.json.wikis).toEqual([expect.objectContaining({ slug: 'handbook', role: 'owner' })]);
    expect(mine.json.wikis[0].last_change).toMatch(/^\d{4}-/);

    const changed = await server.call('PATCH', '/api/v1/wikis/handbook', {
      token: ann,
      body: { public: true, slug: 'guide' },
    });
    expect(changed).toMatchObject({ status: 200, json: { slug: 'guide', public: true } });
    expect((await server.call('GET', '/w/guide/api/v1/pages/Home')).status).toBe(200);
    expect((await server.call('GET', '/api/v1/wikis/handbook', { token: ann })).status).toBe(404);

    const deleted = await server.call('DELETE', '/api/v1/wikis/guide', { token: ann });
    expect(deleted).toMatchObject({ status: 200, json: { slug: 'guide', deleted: true } });
    expect(Date.parse(deleted.json.restorable_until) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect((await server.call('GET', '/w/guide/api/v1/pages/Home')).status).toBe(404);
    const listed = await server.call('GET', '/api/v1/wikis?deleted=true', { token: ann });
    expect(listed.json.wikis.map((w: { slug: string }) => w.slug)).toEqual(['guide']);
    const restored = await server.call('POST', '/api/v1/wikis/guide/restore', { token: ann });
    expect(restored).toMatchObject({ status: 200, json: { slug: 'guide' } });
    expect((await server.call('GET', '/w/guide/api/v1/pages/Home')).status).toBe(200);
  });

  it('answers bad input with 4xx naming the problem', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/wikis', { slug: 'Not A Slug' }, 422, 'Invalid wiki slug'],
      [
        'POST',
        '/api/v1/wikis',
        { slug: 'x', template: 'fancy' },
        422,
        "template must be 'bootstrap' or 'empty'",
      ],
      ['POST', '/api/v1/wikis', { slug: 'x', colour: 'red' }, 422, 'colour'],
      ['POST', '/api/v1/wikis', '{not json', 422, 'valid JSON'],
      ['POST', '/api/v1/wikis', { title: 'no slug' }, 422, 'slug'],
      ['PATCH', '/api/v1/wikis/guide', { public: 'yes' }, 422, 'public must be true or false'],
      ['PATCH', '/api/v1/wikis/nowhere', { title: 'x' }, 404, 'Wiki not found: nowhere'],
      ['PUT', '/api/v1/wikis/guide/members/ann', { role: 'boss' }, 422, 'role must be one of'],
      ['POST', '/api/v1/wikis/guide/invites', { role: 'viewer', expires_in_days: 0 }, 422, 'expires_in_days'],
      ['POST', '/api/v1/tokens', { name: 't', scopes: ['wiki:everything'] }, 422, 'scopes'],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await server.call(method, path, { token: ann, body });
      expect({ path, status: response.status, error: response.json?.error }).toEqual({
        path,
        status,
        error: expect.stringContaining(message),
      });
    }
  });

  it('refuses changes to a read-only credential and to non-owners', async () => {
    const readOnly = (
      await server.services.tokens.create({
        wiki: null,
        name: 'ro',
        scopes: ['wiki:read'],
        userId: (await server.services.auth.users.byUsername('ann'))?.id ?? null,
      })
    ).token;
    expect(
      await server.call('POST', '/api/v1/wikis', { token: readOnly, body: { slug: 'ro' } }),
    ).toMatchObject({
      status: 403,
      json: { error: expect.stringContaining('wiki:admin') },
    });
    const bo = await personToken('bo');
    expect(
      (await server.call('PATCH', '/api/v1/wikis/guide', { token: bo, body: { title: 'Mine' } })).status,
    ).toBe(404);
  });
});

describe('/api/v1 members and invites', () => {
  it('invites by link; the taker gets an account and the role; the last owner stays', async () => {
    const invite = await server.call('POST', '/api/v1/wikis/guide/invites', {
      token: ann,
      body: { role: 'editor', expires_in_days: 3 },
    });
    expect(invite.status).toBe(201);
    expect(invite.json).toMatchObject({ role: 'editor', state: 'pending' });
    expect(invite.json.url).toMatch(new RegExp(`^${server.url}/-/invites/wbi_[0-9a-f]{16}_`));
    const token = invite.json.url.split('/').at(-1);

    const missing = await server.call('POST', `/api/v1/invites/${token}/accept`, {
      body: { username: 'cy' },
    });
    expect(missing).toMatchObject({
      status: 422,
      json: { error: expect.stringContaining('username and password') },
    });
    const accepted = await server.call('POST', `/api/v1/invites/${token}/accept`, {
      body: { username: 'cy', password: 'cy-password-12', email: 'cy@example.org' },
    });
    expect(accepted).toMatchObject({
      status: 201,
      json: { role: 'editor', wiki: { slug: 'guide' }, account: { username: 'cy' } },
    });
    const again = await server.call('POST', `/api/v1/invites/${token}/accept`, { token: ann });
    expect(again).toMatchObject({ status: 409, json: { error: 'This invitation has already been used' } });

    const members = await server.call('GET', '/api/v1/wikis/guide/members', { token: ann });
    expect(members.json.members.map((m: { username: string; role: string }) => [m.username, m.role])).toEqual(
      [
        ['ann', 'owner'],
        ['cy', 'editor'],
      ],
    );
    const invites = await server.call('GET', '/api/v1/wikis/guide/invites', { token: ann });
    expect(invites.json.invites.map((i: { state: string }) => i.state)).toEqual(['accepted']);

    expect(await server.call('DELETE', '/api/v1/wikis/guide/members/ann', { token: ann })).toMatchObject({
      status: 422,
      json: { error: expect.stringContaining('at least one owner') },
    });
    expect(
      await server.call('PUT', '/api/v1/wikis/guide/members/cy@example.org', {
        token: ann,
        body: { role: 'owner' },
      }),
    ).toMatchObject({ status: 200, json: { username: 'cy', role: 'owner' } });
    expect((await server.call('DELETE', '/api/v1/wikis/guide/members/cy', { token: ann })).status).toBe(200);

    const revocable = await server.call('POST', '/api/v1/wikis/guide/invites', {
      token: ann,
      body: { role: 'viewer' },
    });
    expect(
      (await server.call('DELETE', `/api/v1/wikis/guide/invites/${revocable.json.id}`, { token: ann }))
        .status,
    ).toBe(200);
    const revokedToken = revocable.json.url.split('/').at(-1);
    expect((await server.call('POST', `/api/v1/invites/${revokedToken}/accept`, { token: ann })).status).toBe(
      409,
    );
    expect((await server.call('POST', '/api/v1/invites/wbi_bogus/accept', { token: ann })).status).toBe(404);
  });
});

describe('/api/v1 accounts and tokens', () => {
  it('lets platform admins (and the admin token) manage accounts; nobody else', async () => {
    expect((await server.call('GET', '/api/v1/accounts', { token: ann })).status).toBe(403);
    const made = await server.call('POST', '/api/v1/accounts', {
      token: ADMIN_TOKEN,
      body: { username: 'dee' },
    });
    expect(made).toMatchObject({
      status: 201,
      json: { account: { username: 'dee', password_change_required: true } },
    });
    expect(made.json.one_time_password).toMatch(/^[A-Za-z0-9]{20}$/);
    const list = await server.call('GET', '/api/v1/accounts', { token: ADMIN_TOKEN });
    expect(list.json.accounts.map((a: { username: string }) => a.username)).toContain('dee');

    const id = made.json.account.id;
    const reset = await server.call('PATCH', `/api/v1/accounts/${id}`, {
      token: ADMIN_TOKEN,
      body: { reset_password: true },
    });
    expect(reset.json.one_time_password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(reset.json.one_time_password).not.toBe(made.json.one_time_password);

    const dee = (
      await server.services.tokens.create({ wiki: null, name: 'd', scopes: ['wiki:read'], userId: id })
    ).token;
    expect((await server.call('GET', '/api/v1/wikis', { token: dee })).status).toBe(200);
    const disabled = await server.call('PATCH', `/api/v1/accounts/${id}`, {
      token: ADMIN_TOKEN,
      body: { disabled: true },
    });
    expect(disabled).toMatchObject({ status: 200, json: { account: { disabled: true } } });
    expect((await server.call('GET', '/api/v1/wikis', { token: dee })).status).toBe(401);
  });

  it('creates, lists and revokes my tokens; the secret is shown once and works at once', async () => {
    const created = await server.call('POST', '/api/v1/tokens', {
      token: ann,
      body: { name: 'agent', scopes: ['wiki:read'], wiki: 'guide', expires_in_days: 30 },
    });
    expect(created).toMatchObject({
      status: 201,
      json: { name: 'agent', wiki: 'guide', scopes: ['wiki:read'] },
    });
    expect((await server.call('GET', '/w/guide/api/v1/pages', { token: created.json.token })).status).toBe(
      200,
    );
    const mine = await server.call('GET', '/api/v1/tokens', { token: ann });
    expect(mine.json.tokens.map((t: { name: string }) => t.name)).toEqual(['ann', 'ro', 'agent']);
    expect(JSON.stringify(mine.json)).not.toContain(created.json.token);
    expect((await server.call('DELETE', `/api/v1/tokens/${created.json.id}`, { token: ann })).status).toBe(
      200,
    );
    expect((await server.call('GET', '/w/guide/api/v1/pages', { token: created.json.token })).status).toBe(
      401,
    );
    expect((await server.call('DELETE', `/api/v1/tokens/${created.json.id}`, { token: ann })).status).toBe(
      404,
    );
  });

  it('documents every route in its OpenAPI document', async () => {
    const doc = await server.call('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.servers).toEqual([{ url: `${server.url}/api/v1` }]);
    expect(Object.keys(doc.json.paths).sort()).toEqual([
      '/accounts',
      '/accounts/{id}',
      '/invites/{token}/accept',
      '/tokens',
      '/tokens/{id}',
      '/usage',
      '/wikis',
      '/wikis/{slug}',
      '/wikis/{slug}/invites',
      '/wikis/{slug}/invites/{id}',
      '/wikis/{slug}/limits',
      '/wikis/{slug}/members',
      '/wikis/{slug}/members/{user}',
      '/wikis/{slug}/restore',
      '/wikis/{slug}/usage',
    ]);
    expect(doc.json.paths['/wikis'].post.security).toEqual([{ bearer: ['wiki:admin'] }]);
  });
});
