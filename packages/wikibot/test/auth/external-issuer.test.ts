import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../oauth/support/browser.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';
import {
  EXTERNAL_LOGIN_CLIENT,
  type ExternalIssuer,
  listenExternalIssuer,
  signInThroughDevPages,
} from './support/externalIssuer.js';

let server: TestServer;
let external: ExternalIssuer;

beforeAll(async () => {
  const pending = await listenExternalIssuer();
  const dataDir = await freshDataDir('wikibot-external-');
  await writeWikibotToml(
    dataDir,
    [
      '[platform]',
      'signup = "sso"',
      '[[auth.issuers]]',
      `issuer = "${pending.issuer}"`,
      '[[auth.upstream]]',
      'name = "acme"',
      'display_name = "Acme ID"',
      `issuer = "${pending.issuer}"`,
      `client_id = "${EXTERNAL_LOGIN_CLIENT.id}"`,
      `client_secret = "${EXTERNAL_LOGIN_CLIENT.secret}"`,
      '',
    ].join('\n'),
  );
  server = await startTestServer({ dataDir });
  await server.services.registry.create('other', { title: 'Other', template: false });
  external = await pending.configure(`${server.url}/-/login/with/acme/callback`);
});
afterAll(async () => {
  await server.stop();
  await external.close();
  await removeDir(server.dataDir);
});

const mcp = (slug: string) => `${server.url}/w/${slug}/mcp`;
const read = (token: string, slug = 'main') => server.call('GET', `/w/${slug}/api/v1/pages`, { token });

describe('"sign in with" an upstream OpenID provider', () => {
  it('offers the provider on the login page and signs the person in, creating their account', async () => {
    const browser = new Browser();
    const login = await browser.get(`${server.url}/-/login?next=/-/login/password`);
    expect(login.text).toContain('Sign in with Acme ID');
    const start = `${server.url}/-/login/with/acme?next=${encodeURIComponent('/-/login/password')}`;
    const callback = `${server.url}/-/login/with/acme/callback`;
    const answer = await signInThroughDevPages(browser, start, 'carol', callback);
    expect(new URL(answer).searchParams.get('iss')).toBe(external.issuer);
    const back = await browser.get(answer);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${server.url}/-/login/password`);
    const landed = await browser.get(back.location as string);
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('carol signs in through another provider');
    const user = await server.services.auth.users.byIdentity(external.issuer, 'carol');
    expect(user).toMatchObject({
      username: 'carol',
      email: 'carol@external.example',
      displayName: 'External carol',
    });
    expect(user?.hasPassword).toBe(false);
  });

  it('refuses a callback that this browser did not start (state mismatch)', async () => {
    const res = await new Browser().get(`${server.url}/-/login/with/acme/callback?code=abc&state=forged`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('state mismatch');
  });
});

describe('access tokens of an external issuer', () => {
  it('are accepted with this wiki as audience; the role of the linked account bounds them', async () => {
    const dave = await server.services.auth.users.provision({ issuer: external.issuer, subject: 'dave' });
    await server.services.auth.members.grant('main', dave.id, 'viewer');
    const token = await external.accessToken('dave', mcp('main'), 'wiki:read wiki:write');
    expect((await read(token)).status).toBe(200);
    const write = await server.call('PUT', '/w/main/api/v1/pages/Ext', { token, body: { content: 'x' } });
    expect(write.status).toBe(403);
    expect(write.json.error).toContain('role viewer');
  });

  it('are refused with 401 when their audience is another resource', async () => {
    const dave = await server.services.auth.users.provision({ issuer: external.issuer, subject: 'dave' });
    await server.services.auth.members.grant('other', dave.id, 'viewer');
    const elsewhere = await external.accessToken('dave', 'https://api.example.com/mcp');
    const res = await read(elsewhere);
    expect(res.status).toBe(401);
    expect(res.json.error).toContain('audience');
    const forOther = await external.accessToken('dave', mcp('other'));
    expect((await read(forOther, 'main')).status).toBe(401);
    expect((await read(forOther, 'other')).status).toBe(200);
  });

  it('give a first-seen subject an account with no roles: refused on a private wiki', async () => {
    const token = await external.accessToken('erin', mcp('main'));
    const res = await read(token);
    expect(res.status).toBe(403);
    expect(res.json.error).toContain('no role');
    expect(await server.services.auth.users.byIdentity(external.issuer, 'erin')).toBeDefined();
  });

  it('and the person who signed in with the same provider is the same account', async () => {
    const carol = await server.services.auth.users.byIdentity(external.issuer, 'carol');
    expect(carol).toBeDefined();
    await server.services.auth.members.grant('main', carol?.id as string, 'editor');
    const token = await external.accessToken('carol', mcp('main'), 'wiki:read wiki:write');
    const write = await server.call('PUT', '/w/main/api/v1/pages/ByCarol', {
      token,
      body: { content: 'hi' },
    });
    expect(write.status).toBe(201);
  });

  it('protected resource metadata lists the external issuer too', async () => {
    const metadata = await server.call('GET', '/.well-known/oauth-protected-resource/w/main');
    expect(metadata.json.authorization_servers).toEqual([server.url, external.issuer]);
  });
});
