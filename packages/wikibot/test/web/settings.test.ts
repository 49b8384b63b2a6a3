import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connection } from '../../src/http/web/connect.js';
import { attrOf } from './html.js';
import { PASSWORD, startWebServer, Visitor, type WebServer } from './support.js';

describe('web UI wiki settings and account', () => {
  let web: WebServer;
  let olga: Visitor;
  beforeAll(async () => {
    web = await startWebServer();
    await web.put('Home', 'home');
    olga = new Visitor(web.url);
    await olga.login(web.people.owner.username);
  });
  afterAll(() => web.stop());

  it('creates a wiki token, shows it once with ready-to-paste agent configuration, and the token works', async () => {
    const created = await olga.post('/w/main/-/settings/tokens', {
      name: 'Claude Code',
      scopes: 'wiki:read',
      expires_days: '30',
    });
    expect(created.status).toBe(200);
    const token = created.page.text('#new-token');
    expect(token).toMatch(/^wbt_/);
    const configs = created.page.texts('pre.config');
    expect(configs[0]).toBe(`claude mcp add --transport http wiki-main ${web.url}/w/main/mcp`);
    expect(configs[1]).toContain(`--header "Authorization: Bearer ${token}"`);
    expect(JSON.parse(configs[2] ?? '').mcpServers['wiki-main'].env.WIKIBOT_TOKEN).toBe(`Bearer ${token}`);
    const api = await web.server.call('GET', '/w/main/api/v1/pages/Home', { token });
    expect(api.status).toBe(200);
    const again = await olga.get('/w/main/-/settings');
    expect(again.page.has('#new-token')).toBe(false);
    expect(again.page.text('section[aria-labelledby=tokens-title] tbody')).toContain('Claude Code');
  });

  it('revokes a wiki token', async () => {
    const { page } = await olga.get('/w/main/-/settings');
    const row = page
      .all('section[aria-labelledby=tokens-title] tbody tr')
      .find((tr) => page.text(tr).includes('Claude Code'));
    const [input] = row ? page.all('input[name=id]', row) : [];
    const id = (input && attrOf(input, 'value')) ?? '';
    const done = await olga.post('/w/main/-/settings/tokens/revoke', { id });
    expect(done.status).toBe(303);
    expect((await olga.get('/w/main/-/settings')).page.text('.flash.ok')).toBe(
      'Revoked the token “Claude Code”.',
    );
  });

  it('refuses a token without scopes, saying so', async () => {
    const reply = await olga.post('/w/main/-/settings/tokens', { name: 'nothing', expires_days: '' });
    expect(reply.status).toBe(422);
    expect(reply.page.text('.flash.error')).toBe('At least one scope is required');
  });

  it('adds members, changes their role, and keeps at least one owner', async () => {
    await web.server.services.auth.users.create({
      username: 'newbie',
      password: 'correct horse battery staple',
    });
    const added = await olga.post('/w/main/-/settings/members', { login: 'newbie', role: 'viewer' });
    expect(added.status).toBe(303);
    const newbie = new Visitor(web.url);
    await newbie.login('newbie');
    expect((await newbie.get('/w/main/Home')).status).toBe(200);
    expect((await newbie.get('/w/main/-/edit/Home')).status).toBe(403);
    await olga.post('/w/main/-/settings/members', { login: 'newbie', role: 'editor' });
    expect((await newbie.get('/w/main/-/edit/Home')).status).toBe(200);
    const lastOwner = await olga.post('/w/main/-/settings/members/remove', { user: web.people.owner.id });
    expect(lastOwner.status).toBe(422);
    expect(lastOwner.page.text('.flash.error')).toContain('at least one owner');
    const unknown = await olga.post('/w/main/-/settings/members', { login: 'nobody', role: 'viewer' });
    expect(unknown.page.text('.flash.error')).toBe('No account is called nobody');
  });

  it('makes the wiki public only once confirmed, and private again', async () => {
    expect((await new Visitor(web.url).get('/w/main/Home')).status).toBe(303);
    const settings = await olga.get('/w/main/-/settings');
    expect(settings.page.attr('form.make-public input[name=confirm]', 'required')).toBe('');
    const unconfirmed = await olga.post('/w/main/-/settings/public', { public: 'true' });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.page.text('.flash.error')).toContain('confirm that anyone may read it');
    expect((await new Visitor(web.url).get('/w/main/Home')).status).toBe(303);
    await olga.post('/w/main/-/settings/public', { public: 'true', confirm: 'yes' });
    expect((await new Visitor(web.url).get('/w/main/Home')).status).toBe(200);
    await olga.post('/w/main/-/settings/public', { public: 'false' });
    expect((await new Visitor(web.url).get('/w/main/Home')).status).toBe(303);
  });

  const localOnly = (base: string) =>
    connection('main', { wikiUrl: `${base}/w/main`, gitUrl: `${base}/w/main.git` }, null).localOnly;

  it('warns that claude.ai cannot reach a wiki served on a loopback address only', async () => {
    const { page } = await olga.get('/w/main/-/settings');
    expect(page.text('.local-only')).toContain('cannot reach this address');
    expect(localOnly('http://127.0.0.1:8080')).toBe(true);
    expect(localOnly('http://localhost:8080')).toBe(true);
    expect(localOnly('https://wiki.example.com')).toBe(false);
  });

  it('shows a platform admin as owner of every wiki: in Members and on their account page', async () => {
    await web.server.services.auth.users.create({ username: 'ada', password: PASSWORD, isAdmin: true });
    const ada = new Visitor(web.url);
    await ada.login('ada');
    const account = await ada.get('/-/account');
    expect(account.page.texts('.account-wikis li')).toEqual([
      expect.stringContaining('owner (platform admin)'),
    ]);
    const settings = await ada.get('/w/main/-/settings');
    expect(settings.page.text('.platform-admins')).toContain('ada');
  });

  it('gives people their own API tokens on the account page, acting as them', async () => {
    const eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    const account = await eddie.get('/-/account');
    expect(account.page.text('main')).toContain('Signed in as eddie');
    expect(account.page.texts('select[name=wiki] option')).toEqual(['Every wiki I can use', 'Main']);
    const created = await eddie.post('/-/account/tokens', {
      name: 'laptop',
      scopes: 'wiki:read',
      wiki: 'main',
      expires_days: '',
    });
    const token = created.page.text('#new-token');
    const write = await web.server.call('PUT', '/w/main/api/v1/pages/Mine', {
      token,
      body: { content: 'x' },
    });
    expect(write.status).toBe(403);
    const id =
      (await eddie.get('/-/account')).page.attr(
        'form[action="/-/account/tokens/revoke"] input[name=id]',
        'value',
      ) ?? '';
    expect((await olga.post('/-/account/tokens/revoke', { id })).status).toBe(404);
    expect((await eddie.post('/-/account/tokens/revoke', { id })).status).toBe(303);
    expect((await web.server.call('GET', '/w/main/api/v1/pages/Home', { token })).status).toBe(401);
  });

  it('updates the profile', async () => {
    const done = await olga.post('/-/account/profile', {
      display_name: 'Olga O.',
      email: 'olga@example.org',
    });
    expect(done.status).toBe(303);
    const account = await olga.get('/-/account');
    expect(account.page.attr('#display-name', 'value')).toBe('Olga O.');
    expect(account.page.attr('#email', 'value')).toBe('olga@example.org');
  });

  it('sends visitors who are not signed in from the account page to the login', async () => {
    const reply = await new Visitor(web.url).get('/-/account');
    expect(reply.status).toBe(303);
    expect(reply.location).toBe('/-/login?next=%2F-%2Faccount');
  });
});
