import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';
import { Browser } from './support/browser.js';
import { authorizeAsUser, OAuthTestClient, type Person, pkce } from './support/oauthClient.js';
import { createPerson } from './support/people.js';
import { jsonHttpsServer, selfSignedCertificate } from './support/tls.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
let tlsDir: string;
let documents: Map<string, unknown>;
let site: Awaited<ReturnType<typeof jsonHttpsServer>>;
let server: TestServer;
let strict: TestServer;
let alice: Person;

/** A wikibot that trusts the test CA and may fetch client documents from loopback (development setting). */
async function wikibot(allowPrivateHosts: boolean, certFile: string): Promise<TestServer> {
  const dataDir = await freshDataDir('wikibot-cimd-');
  await writeWikibotToml(
    dataDir,
    `[auth]\nca_file = "${certFile}"\n[auth.oauth]\nclient_metadata_private_hosts = ${allowPrivateHosts}\n`,
  );
  return startTestServer({ dataDir });
}

beforeAll(async () => {
  tlsDir = await mkdtemp(join(tmpdir(), 'wikibot-tls-'));
  const tls = await selfSignedCertificate(tlsDir);
  documents = new Map();
  site = await jsonHttpsServer(tls, documents);
  server = await wikibot(true, tls.certFile);
  strict = await wikibot(false, tls.certFile);
  alice = await createPerson(server, 'alice', { main: 'editor' });
});
afterAll(async () => {
  await Promise.all([server.stop(), strict.stop(), site.close()]);
  await Promise.all([removeDir(server.dataDir), removeDir(strict.dataDir), removeDir(tlsDir)]);
});

function publish(path: string, overrides: Record<string, unknown> = {}): string {
  const clientId = `${site.origin}${path}`;
  documents.set(path, {
    client_id: clientId,
    client_name: 'Metadata Agent',
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'wiki:read wiki:write offline_access',
    ...overrides,
  });
  return clientId;
}

describe('Client ID Metadata Documents', () => {
  it('a client identified by the URL of its metadata document gets through login, consent and token exchange', async () => {
    const clientId = publish('/agents/one.json');
    const client = new OAuthTestClient(server.url, clientId, REDIRECT);
    const resource = `${server.url}/w/main/mcp`;
    const { verifier, challenge } = pkce();
    const url = client.authorizeUrl({ scope: 'wiki:read', resource, challenge });
    const { callback, consent } = await authorizeAsUser(new Browser(), url, alice, { redirectUri: REDIRECT });
    expect(consent?.text).toContain('Metadata Agent');
    expect(consent?.text).toContain(clientId);
    const tokens = await client.exchange(callback.searchParams.get('code') as string, verifier, resource);
    expect(tokens.status).toBe(200);
    const res = await server.call('GET', '/w/main/api/v1/pages', {
      token: tokens.body.access_token as string,
    });
    expect(res.status).toBe(200);
    expect(site.requests).toContain('/agents/one.json');
  });

  it('refuses a redirect_uri the document does not list, without redirecting', async () => {
    const clientId = publish('/agents/two.json', { redirect_uris: ['http://127.0.0.1:9/elsewhere'] });
    const url = new OAuthTestClient(server.url, clientId, REDIRECT).authorizeUrl({
      scope: 'wiki:read',
      challenge: pkce().challenge,
    });
    const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('refuses a document whose client_id is not its own URL', async () => {
    const clientId = publish('/agents/three.json', { client_id: `${site.origin}/agents/somebody-else.json` });
    const url = new OAuthTestClient(server.url, clientId, REDIRECT).authorizeUrl({
      scope: 'wiki:read',
      challenge: pkce().challenge,
    });
    const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('by default does not fetch documents from loopback or private addresses', async () => {
    const clientId = publish('/agents/four.json');
    const before = site.requests.length;
    const url = new OAuthTestClient(strict.url, clientId, REDIRECT).authorizeUrl({
      scope: 'wiki:read',
      challenge: pkce().challenge,
    });
    const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(site.requests.length).toBe(before);
  });
});
