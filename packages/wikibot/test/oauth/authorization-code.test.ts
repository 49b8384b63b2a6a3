import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { Browser } from './support/browser.js';
import { authorizeAsUser, OAuthTestClient, type Person, pkce } from './support/oauthClient.js';
import { createPerson } from './support/people.js';

let server: TestServer;
let alice: Person;
let client: OAuthTestClient;
const REDIRECT = 'http://127.0.0.1:9/callback';

beforeAll(async () => {
  server = await startTestServer();
  await server.services.registry.create('other', { title: 'Other', template: false });
  alice = await createPerson(server, 'alice', { main: 'editor', other: 'editor' });
  client = await OAuthTestClient.register(server.url, REDIRECT);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const resource = (slug = 'main') => `${server.url}/w/${slug}/mcp`;
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString());
const readPages = (token: string, slug = 'main') => server.call('GET', `/w/${slug}/api/v1/pages`, { token });
const writePage = (token: string, name: string) =>
  server.call('PUT', `/w/main/api/v1/pages/${name}`, { token, body: { content: `# ${name}` } });

/** Everything from the authorization request to the token response, the way an agent and its user do it. */
async function connect(options: { scope?: string; grant?: string[]; slug?: string; browser?: Browser } = {}) {
  const { verifier, challenge } = pkce();
  const browser = options.browser ?? new Browser();
  const url = client.authorizeUrl({
    scope: options.scope ?? 'wiki:read wiki:write offline_access',
    resource: resource(options.slug),
    challenge,
  });
  const { callback, consent } = await authorizeAsUser(browser, url, alice, {
    redirectUri: REDIRECT,
    ...(options.grant ? { grant: options.grant } : {}),
  });
  const code = callback.searchParams.get('code') as string;
  const tokens = await client.exchange(code, verifier, resource(options.slug));
  return { callback, consent, tokens, code, verifier, browser };
}

describe('authorization code flow with login and consent', () => {
  it('issues a JWT access token for the wiki (aud, scope, sub, client_id) that works on its REST API', async () => {
    const { callback, consent, tokens } = await connect();
    expect(callback.searchParams.get('iss')).toBe(server.url);
    expect(callback.searchParams.get('state')).toBe('state-1');
    expect(consent?.text).toContain('Test Agent');
    expect(consent?.text).toContain('Main');
    expect(consent?.text).toContain('wiki:write');
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toContain('no-store');
    expect(tokens.body.token_type).toBe('Bearer');
    expect(tokens.body.refresh_token).toBeTruthy();
    const access = tokens.body.access_token as string;
    const user = await server.services.auth.users.byUsername('alice');
    expect(claims(access)).toMatchObject({
      iss: server.url,
      aud: resource(),
      scope: 'wiki:read wiki:write',
      sub: user?.id,
      client_id: client.clientId,
    });
    expect((await writePage(access, 'FromOAuth')).status).toBe(201);
  });

  it('the user can grant fewer scopes than asked: a read-only token, whose write gets 403 insufficient_scope', async () => {
    const { tokens } = await connect({ grant: ['wiki:read'] });
    expect(tokens.body.scope).toContain('wiki:read');
    expect(tokens.body.scope).not.toContain('wiki:write');
    const access = tokens.body.access_token as string;
    expect((await readPages(access)).status).toBe(200);
    const write = await writePage(access, 'Nope');
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="wiki:write"/);
  });

  it('after a read-only consent, asking again for wiki:write shows consent again and yields a write token (step-up)', async () => {
    const browser = new Browser();
    const first = await connect({ grant: ['wiki:read'], browser });
    expect(first.tokens.body.scope).not.toContain('wiki:write');
    const second = await connect({ browser });
    expect(second.consent?.text).toContain('wiki:write');
    expect(second.tokens.body.scope).toContain('wiki:write');
    expect((await writePage(second.tokens.body.access_token as string, 'SteppedUp')).status).toBe(201);
  });

  it('refuses a consent form posted without the CSRF token (and issues no code)', async () => {
    const { challenge } = pkce();
    const browser = new Browser();
    const url = client.authorizeUrl({ scope: 'wiki:read', resource: resource(), challenge });
    let page = await browser.follow(await browser.get(url));
    page = await browser.follow(
      await browser.submit(page, { login: alice.login, password: alice.password }, '/-/login'),
    );
    expect(page.url).toContain('/-/oauth/interaction/');
    const forged = await browser.post(page.url, { decision: 'allow', scope: '0 wiki:read' });
    expect(forged.status).toBe(403);
    expect(forged.location).toBeUndefined();
    const wrong = await browser.post(page.url, {
      decision: 'allow',
      scope: '0 wiki:read',
      _csrf: 'x'.repeat(43),
    });
    expect(wrong.status).toBe(403);
  });

  it('a user who denies consent sends the client access_denied', async () => {
    const { challenge } = pkce();
    const url = client.authorizeUrl({ scope: 'wiki:read', resource: resource(), challenge });
    const { callback } = await authorizeAsUser(new Browser(), url, alice, {
      redirectUri: REDIRECT,
      decision: 'deny',
    });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('a token for wiki A is refused on wiki B with 401 invalid_token', async () => {
    const { tokens } = await connect({ slug: 'main' });
    const res = await readPages(tokens.body.access_token as string, 'other');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(res.json.error).toContain('audience');
  });

  it('a signed-in user who already consented goes straight back to the client', async () => {
    const browser = new Browser();
    await connect({ browser });
    const { consent, tokens } = await connect({ browser });
    expect(consent).toBeUndefined();
    expect(browser.visited.filter((u) => u.endsWith('/-/login')).length).toBe(1); // one password entry
    expect(tokens.status).toBe(200);
  });
});

describe('PKCE, redirect URIs and codes', () => {
  it('refuses an authorization request without a PKCE challenge', async () => {
    const res = await fetch(client.authorizeUrl({ scope: 'wiki:read', resource: resource() }), {
      redirect: 'manual',
    });
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a token request with a wrong or missing code verifier', async () => {
    const { challenge } = pkce();
    const url = client.authorizeUrl({ scope: 'wiki:read', resource: resource(), challenge });
    const { callback } = await authorizeAsUser(new Browser(), url, alice, { redirectUri: REDIRECT });
    const code = callback.searchParams.get('code') as string;
    const missing = await client.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(missing.status).toBe(400);
    const wrong = await client.exchange(code, pkce().verifier, resource());
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
  });

  it('never redirects to an unregistered redirect_uri (no open redirect)', async () => {
    const { challenge } = pkce();
    const url = client.authorizeUrl({
      scope: 'wiki:read',
      resource: resource(),
      challenge,
      redirectUri: 'https://evil.example/cb',
    });
    const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('redirect_uri');
  });

  it('refuses a token request whose redirect_uri differs from the authorization request', async () => {
    const other = await OAuthTestClient.register(server.url, REDIRECT, {
      redirect_uris: [REDIRECT, 'http://127.0.0.1:9/other'],
    });
    const { verifier, challenge } = pkce();
    const url = other.authorizeUrl({ scope: 'wiki:read', resource: resource(), challenge });
    const { callback } = await authorizeAsUser(new Browser(), url, alice, { redirectUri: REDIRECT });
    const res = await other.token({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') as string,
      redirect_uri: 'http://127.0.0.1:9/other',
      code_verifier: verifier,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('a code works once; reusing it fails and revokes what the first use issued', async () => {
    const { tokens, code, verifier } = await connect();
    expect(tokens.status).toBe(200);
    const again = await client.exchange(code, verifier, resource());
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await readPages(tokens.body.access_token as string)).status).toBe(401);
    expect((await client.refresh(tokens.body.refresh_token as string, resource())).status).toBe(400);
  });

  it('a request without scope gets read access to the wiki by default (RFC 6749 §3.3)', async () => {
    const { verifier, challenge } = pkce();
    const url = new URL(client.authorizeUrl({ scope: 'unused', resource: resource(), challenge }));
    url.searchParams.delete('scope');
    const { callback } = await authorizeAsUser(new Browser(), url.href, alice, { redirectUri: REDIRECT });
    const tokens = await client.exchange(callback.searchParams.get('code') as string, verifier, resource());
    expect(tokens.body.scope).toBe('wiki:read');
    expect((await readPages(tokens.body.access_token as string)).status).toBe(200);
  });

  it('refuses a resource indicator that names no wiki of this server', async () => {
    const { challenge } = pkce();
    const url = client.authorizeUrl({
      scope: 'wiki:read',
      resource: `${server.url}/w/missing/mcp`,
      challenge,
    });
    const res = await fetch(url, { redirect: 'manual' });
    expect(new URL(res.headers.get('location') as string).searchParams.get('error')).toBe('invalid_target');
  });
});

describe('refresh tokens and revocation', () => {
  it('rotates refresh tokens; the new access token works', async () => {
    const { tokens } = await connect();
    const refreshed = await client.refresh(tokens.body.refresh_token as string, resource());
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect(claims(refreshed.body.access_token as string).aud).toBe(resource());
    expect((await readPages(refreshed.body.access_token as string)).status).toBe(200);
  });

  it('a reused refresh token is refused and revokes the whole family', async () => {
    const { tokens } = await connect();
    const first = await client.refresh(tokens.body.refresh_token as string, resource());
    expect(first.status).toBe(200);
    const reuse = await client.refresh(tokens.body.refresh_token as string, resource());
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    expect((await client.refresh(first.body.refresh_token as string, resource())).status).toBe(400);
    expect((await readPages(first.body.access_token as string)).status).toBe(401);
    expect((await readPages(tokens.body.access_token as string)).status).toBe(401);
  });

  it('revoking the refresh token revokes the grant: its access tokens are refused', async () => {
    const { tokens } = await connect();
    const access = tokens.body.access_token as string;
    expect((await readPages(access)).status).toBe(200);
    expect(await client.revoke(tokens.body.refresh_token as string)).toBe(200);
    const res = await readPages(access);
    expect(res.status).toBe(401);
    expect(res.json.error).toContain('revoked');
    expect((await client.refresh(tokens.body.refresh_token as string, resource())).status).toBe(400);
  });

  it('revoking an access token (RFC 7009) refuses that token at once and keeps the refresh token working', async () => {
    const { tokens } = await connect();
    const access = tokens.body.access_token as string;
    expect(await client.revoke(access)).toBe(200);
    expect((await readPages(access)).status).toBe(401);
    const refreshed = await client.refresh(tokens.body.refresh_token as string, resource());
    expect((await readPages(refreshed.body.access_token as string)).status).toBe(200);
  });

  it('another client cannot revoke the token', async () => {
    const { tokens } = await connect();
    const stranger = await OAuthTestClient.register(server.url, REDIRECT);
    expect(await stranger.revoke(tokens.body.access_token as string)).toBe(200);
    expect((await readPages(tokens.body.access_token as string)).status).toBe(200);
  });

  it('a user whose role is taken away loses access with tokens already issued', async () => {
    const bob = await createPerson(server, 'bob', { main: 'editor' });
    const { verifier, challenge } = pkce();
    const url = client.authorizeUrl({ scope: 'wiki:read', resource: resource(), challenge });
    const { callback } = await authorizeAsUser(new Browser(), url, bob, { redirectUri: REDIRECT });
    const tokens = await client.exchange(callback.searchParams.get('code') as string, verifier, resource());
    expect((await readPages(tokens.body.access_token as string)).status).toBe(200);
    await server.services.auth.members.revoke('main', bob.id);
    const res = await readPages(tokens.body.access_token as string);
    expect(res.status).toBe(403);
    expect(res.json.error).toContain('no role');
  });
});

describe('discovery', () => {
  it('serves RFC 8414 and OpenID discovery with PKCE S256, iss in responses, registration and CIMD', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await server.call('GET', path);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        issuer: server.url,
        authorization_endpoint: `${server.url}/-/oauth/authorize`,
        token_endpoint: `${server.url}/-/oauth/token`,
        registration_endpoint: `${server.url}/-/oauth/register`,
        revocation_endpoint: `${server.url}/-/oauth/revoke`,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
      });
      expect(res.json.scopes_supported).toContain('offline_access');
    }
  });

  it('a 401 points at protected resource metadata that names the authorization server', async () => {
    const res = await server.call('GET', '/w/main/api/v1/pages');
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') as string;
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] as string;
    const metadata = await server.call('GET', metadataUrl);
    expect(metadata.json).toMatchObject({
      resource: `${server.url}/w/main/api/v1`,
      authorization_servers: [server.url],
      scopes_supported: ['wiki:read', 'wiki:write', 'wiki:admin'],
    });
  });
});
