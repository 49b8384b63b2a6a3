import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { PASSWORD, Visitor } from './support.js';

/** A wikibot with the given sign-up policy, a platform admin "ada" and a plain account "bob". */
async function platformServer(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ env });
  const { users } = server.services.auth;
  await users.create({ username: 'ada', password: PASSWORD, isAdmin: true });
  await users.create({ username: 'bob', password: PASSWORD, email: 'bob@example.org' });
  return server;
}

/** A visitor not signed in, holding the CSRF token of the form on `path`. */
async function anonymousAt(base: string, path: string): Promise<Visitor> {
  const visitor = new Visitor(base);
  const reply = await visitor.get(path);
  visitor.csrf = reply.page.attr('form input[name=_csrf]', 'value') ?? '';
  return visitor;
}

describe('web platform pages (sign-up invite-only)', () => {
  let server: TestServer;
  let ada: Visitor;
  let bob: Visitor;
  beforeAll(async () => {
    server = await platformServer({ WIKIBOT_SIGNUP: 'invite-only' });
    ada = new Visitor(server.url);
    await ada.login('ada');
    bob = new Visitor(server.url);
    await bob.login('bob');
  });
  afterAll(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  it('creates a wiki from My wikis, making its creator owner, and lists it with role and last change', async () => {
    const created = await bob.post('/-/wikis', { slug: 'bobs', title: 'Bob’s notes', template: 'bootstrap' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/w/bobs/');
    const home = await bob.get('/w/bobs/');
    expect(home.status).toBe(200);
    const mine = await bob.get('/-/wikis');
    const row = mine.page.all('table.my-wikis tbody tr').map((tr) => mine.page.text(tr));
    expect(row).toHaveLength(1);
    expect(row[0]).toContain('Bob’s notes');
    expect(row[0]).toContain('owner');
    expect(row[0]).not.toContain('never');
  });

  it('refuses a bad or taken wiki address with a message, and a form without its CSRF token', async () => {
    const bad = await bob.post('/-/wikis', { slug: 'Not A Slug!', title: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.page.text('.flash.error')).toMatch(/slug/i);
    const taken = await bob.post('/-/wikis', { slug: 'main', title: 'x' });
    expect(taken.status).toBe(422);
    expect(taken.page.text('.flash.error')).toContain('main');
    const forged = await bob.post('/-/wikis', { _csrf: 'forged', slug: 'forged' });
    expect(forged.status).toBe(403);
    expect(await server.services.registry.get('forged')).toBeFalsy();
  });

  it('sends visitors who are not signed in to the login page, and refuses /-/admin to non-admins', async () => {
    const anonymous = new Visitor(server.url);
    const wikis = await anonymous.get('/-/wikis');
    expect(wikis.status).toBe(303);
    expect(wikis.location).toMatch(/^\/-\/login\?next=%2F-%2Fwikis/);
    const refused = await bob.get('/-/admin');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Only platform admins');
    const create = await bob.post('/-/admin/accounts', { username: 'mallory' });
    expect(create.status).toBe(403);
    expect(await server.services.auth.users.byLogin('mallory')).toBeFalsy();
  });

  it('lets a platform admin create an account with a one-time password shown once, disable and reset it', async () => {
    const created = await ada.post('/-/admin/accounts', { username: 'carol', email: 'carol@example.org' });
    expect(created.status).toBe(200);
    const password = created.page.text('#one-time-password');
    expect(password.length).toBeGreaterThan(10);
    expect((await ada.get('/-/admin')).page.has('#one-time-password')).toBe(false);
    const carol = await server.services.auth.users.checkPassword('carol', password);
    expect(carol?.passwordChangeRequired).toBe(true);

    const disabled = await ada.post('/-/admin/accounts/update', { login: 'carol', change: 'disable' });
    expect(disabled.status).toBe(303);
    expect((await server.services.auth.users.byLogin('carol'))?.disabled).toBe(true);
    const reset = await ada.post('/-/admin/accounts/update', { login: 'carol', change: 'reset' });
    const again = reset.page.text('#one-time-password');
    expect(again).not.toBe(password);

    const duplicate = await ada.post('/-/admin/accounts', { username: 'carol' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.page.text('.flash.error')).toContain('carol');
    const unknown = await ada.post('/-/admin/accounts/update', { login: 'carol', change: 'delete' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Unknown account change');
  });

  it('shows platform admins every wiki with usage and limits, and the sign-up policy', async () => {
    const { page, status } = await ada.get('/-/admin');
    expect(status).toBe(200);
    expect(page.attr('tr[data-wiki=main] a', 'href')).toBe('/w/main/');
    expect(page.has('tr[data-wiki=bobs]')).toBe(true);
    expect(page.text('tr[data-wiki=bobs]')).toMatch(/\d+ \/ (unlimited|\d+)/);
    expect(page.text('.signup-policy')).toContain('invite-only');
  });

  it('invites by link: the owner sees it once, a newcomer makes an account and joins with the role', async () => {
    const made = await bob.post('/w/bobs/-/settings/invites', { role: 'editor', expires_days: '3' });
    expect(made.status).toBe(200);
    const link = made.page.text('#new-invite');
    expect(link.startsWith(`${server.url}/-/invites/wbi_`)).toBe(true);
    const path = link.slice(server.url.length);
    const listed = await bob.get('/w/bobs/-/settings');
    expect(listed.page.has('#new-invite')).toBe(false);
    expect(listed.page.all('table.invites tbody tr')).toHaveLength(1);

    const newcomer = await anonymousAt(server.url, path);
    const offer = await newcomer.get(path);
    expect(offer.page.text('.invite-offer')).toContain('Bob’s notes');
    expect(offer.page.text('.invite-offer')).toContain('editor');
    const badName = await newcomer.post(path, { username: 'no spaces', password: PASSWORD });
    expect(badName.status).toBe(422);
    expect(badName.page.text('.flash.error')).toContain('Invalid username');
    const joined = await newcomer.post(path, { username: 'dave', password: PASSWORD });
    expect(joined.status).toBe(303);
    expect(joined.location).toBe('/w/bobs/');
    expect((await newcomer.get('/w/bobs/')).status).toBe(200);
    const dave = await server.services.auth.users.byLogin('dave');
    expect(await server.services.auth.members.roleOf('bobs', dave?.id ?? '')).toBe('editor');

    const reused = await new Visitor(server.url).get(path);
    expect(reused.status).toBe(409);
    expect(reused.text).toContain('already been used');
  });

  it('lets a signed-in person accept an invitation as themselves; a bad link is a 404 page', async () => {
    await server.services.auth.users.create({ username: 'zoe', password: PASSWORD });
    const zoe = new Visitor(server.url);
    await zoe.login('zoe');
    const link = (await bob.post('/w/bobs/-/settings/invites', { role: 'viewer' })).page.text('#new-invite');
    const path = link.slice(server.url.length);
    const offer = await zoe.get(path);
    expect(offer.page.text('main button[type=submit]')).toBe('Accept as zoe');
    const accepted = await zoe.post(path, {});
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe('/w/bobs/');
    const zoeId = (await server.services.auth.users.byLogin('zoe'))?.id ?? '';
    expect(await server.services.auth.members.roleOf('bobs', zoeId)).toBe('viewer');

    const bogus = await zoe.get('/-/invites/wbi_0000000000000000_nope');
    expect(bogus.status).toBe(404);
    expect(bogus.text).toContain('No such invitation');
  });

  it('revokes a pending invitation, and keeps the last owner with a message', async () => {
    await bob.post('/w/bobs/-/settings/invites', { role: 'viewer' });
    const { page } = await bob.get('/w/bobs/-/settings');
    const id = page.attr('table.invites input[name=id]', 'value') ?? '';
    const revoked = await bob.post('/w/bobs/-/settings/invites/revoke', { id });
    expect(revoked.status).toBe(303);
    expect((await bob.get('/w/bobs/-/settings')).page.has('table.invites')).toBe(false);

    const bobId = (await server.services.auth.users.byLogin('bob'))?.id ?? '';
    const last = await bob.post('/w/bobs/-/settings/members/remove', { user: bobId });
    expect(last.status).toBe(422);
    expect(last.page.text('.flash.error')).toContain('at least one owner');
  });

  it('refuses self sign-up under invite-only, naming the policy', async () => {
    const page = await new Visitor(server.url).get('/-/signup');
    expect(page.status).toBe(403);
    expect(page.text).toContain('by invitation only');
  });
});

describe('web self sign-up (policy open, one e-mail domain)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await platformServer({ WIKIBOT_SIGNUP: 'open', WIKIBOT_SIGNUP_EMAIL_DOMAINS: 'example.org' });
  });
  afterAll(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  it('makes an account within the allowed domain and signs it in; refuses others with a message', async () => {
    const visitor = await anonymousAt(server.url, '/-/signup');
    const outside = await visitor.post('/-/signup', {
      username: 'eve',
      email: 'eve@elsewhere.net',
      password: PASSWORD,
    });
    expect(outside.status).toBe(422);
    expect(outside.page.text('.flash.error')).toContain('example.org');
    expect(await server.services.auth.users.byLogin('eve')).toBeFalsy();
    const made = await visitor.post('/-/signup', {
      username: 'erin',
      email: 'erin@example.org',
      password: PASSWORD,
    });
    expect(made.status).toBe(303);
    expect(made.location).toBe('/-/wikis');
    const mine = await visitor.get('/-/wikis');
    expect(mine.status).toBe(200);
    expect(mine.page.text('h1')).toBe('My wikis');
  });
});
