import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth, type Client, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';
import { Browser } from './support/browser.js';
import {
  callbackListener,
  connectWithLogin as connectWithLoginFor,
  MemoryOAuthProvider,
  mcpClient,
  personAuthorizes as personAuthorizesFor,
  rawToolsList,
  revokeToken,
} from './support/mcpAgent.js';
import { authorizeAsUser, type Person } from './support/oauthClient.js';
import { createPerson } from './support/people.js';
import { jsonHttpsServer, selfSignedCertificate } from './support/tls.js';

const WRITE_TOOLS = [
  'write_note',
  'edit_note',
  'rename_note',
  'delete_note',
  'upload_attachment',
  'delete_attachment',
];

let server: TestServer;
let alice: Person;
let callback: Awaited<ReturnType<typeof callbackListener>>;

beforeAll(async () => {
  server = await startTestServer();
  await server.services.registry.create('other', { title: 'Other', template: false });
  alice = await createPerson(server, 'alice', { main: 'editor', other: 'editor' });
  callback = await callbackListener();
});
afterAll(async () => {
  await server.stop();
  await callback.close();
  await removeDir(server.dataDir);
});

const mcpUrl = (s: TestServer, slug = 'main') => `${s.url}/w/${slug}/mcp`;

/** The person (alice) signs in and consents in `browser` when the host opens an authorization URL. */
const personAuthorizes = (provider: MemoryOAuthProvider, browser: Browser, grant?: string[]) =>
  personAuthorizesFor(provider, browser, { callback, person: alice, ...(grant ? { grant } : {}) });
const connectWithLogin = (url: string, provider: MemoryOAuthProvider, browser: Browser) =>
  connectWithLoginFor(url, provider, browser, { callback, person: alice });

async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name);
}

describe('MCP SDK client OAuth against a running wikibot (Dynamic Client Registration)', () => {
  it('discovers the authorization server from the 401, registers, signs in with consent, exchanges the code and calls tools', async () => {
    const provider = new MemoryOAuthProvider(callback.url);
    const client = await connectWithLogin(mcpUrl(server), provider, new Browser());
    expect(provider.clientInformation()?.client_id).toMatch(/^[\w-]+$/);
    const tokens = provider.tokens() as { access_token: string; refresh_token?: string };
    expect(tokens.refresh_token).toBeTruthy();
    const claims = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1] as string, 'base64url').toString(),
    );
    expect(claims.aud).toBe(mcpUrl(server));
    const list = await client.callTool({ name: 'list_notes', arguments: {} });
    expect(list.isError).toBeFalsy();
    await client.close();
  });

  it('a consent that granted only wiki:read gives a read-only tool list; a write call’s 403 leads to a successful step-up', async () => {
    const browser = new Browser();
    const provider = new MemoryOAuthProvider(callback.url);
    // A host asking for full access up front; the person unticks wiki:write.
    expect(await auth(provider, { serverUrl: mcpUrl(server), scope: 'wiki:read wiki:write' })).toBe(
      'REDIRECT',
    );
    const params = await personAuthorizes(provider, browser, ['wiki:read']);
    const setup = mcpClient(mcpUrl(server), provider);
    await setup.transport.finishAuth(params);
    expect(provider.tokens()?.scope).not.toContain('wiki:write');

    const { client, transport } = mcpClient(mcpUrl(server), provider);
    await client.connect(transport);
    const tools = await toolNames(client);
    expect(tools).toContain('read_note');
    for (const tool of WRITE_TOOLS) expect(tools).not.toContain(tool);

    const write = { name: 'write_note', arguments: { path: 'Stepped Up', content: '# Stepped up' } };
    await expect(client.callTool(write)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.opened.at(-1)?.searchParams.get('scope')).toContain('wiki:write');
    await transport.finishAuth(await personAuthorizes(provider, browser));
    expect(provider.tokens()?.scope).toContain('wiki:write');
    const result = await client.callTool(write);
    expect(result.isError).toBeFalsy();
    const read = await client.callTool({ name: 'read_note', arguments: { path: 'Stepped Up' } });
    expect(JSON.stringify(read.content)).toContain('Stepped up');
    await client.close();
  });

  it('refreshes the access token without the browser when it stops working', async () => {
    const provider = new MemoryOAuthProvider(callback.url);
    const client = await connectWithLogin(mcpUrl(server), provider, new Browser());
    const before = provider.tokens() as { access_token: string; refresh_token?: string };
    // The host's access token dies (revoked, RFC 7009); the refresh token still stands.
    expect(await revokeToken(server.url, provider, before.access_token)).toBe(200);
    const opened = provider.opened.length;
    const list = await client.callTool({ name: 'list_notes', arguments: {} });
    expect(list.isError).toBeFalsy();
    expect(provider.opened.length).toBe(opened);
    expect(provider.tokens()?.access_token).not.toBe(before.access_token);
    expect(provider.tokens()?.refresh_token).not.toBe(before.refresh_token);
    await client.close();
  });

  it('refuses a revoked token; the host has to send the person to sign in again', async () => {
    const provider = new MemoryOAuthProvider(callback.url);
    const client = await connectWithLogin(mcpUrl(server), provider, new Browser());
    const tokens = provider.tokens() as { access_token: string; refresh_token: string };
    expect(await revokeToken(server.url, provider, tokens.refresh_token)).toBe(200);
    const raw = await rawToolsList(mcpUrl(server), tokens.access_token);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/invalid_token/);
    const opened = provider.opened.length;
    await expect(client.callTool({ name: 'list_notes', arguments: {} })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(provider.opened.length).toBeGreaterThan(opened);
  });

  it('refuses a token for wiki A on wiki B', async () => {
    const provider = new MemoryOAuthProvider(callback.url);
    const client = await connectWithLogin(mcpUrl(server, 'main'), provider, new Browser());
    await client.close();
    const access = provider.tokens()?.access_token as string;
    const elsewhere = mcpClient(mcpUrl(server, 'other'), { token: async () => access });
    await expect(elsewhere.client.connect(elsewhere.transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const raw = await rawToolsList(mcpUrl(server, 'other'), access);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await raw.text()).toContain('audience');
  });
});

describe('MCP SDK client OAuth with a Client ID Metadata Document served on loopback', () => {
  let cimdServer: TestServer;
  let site: Awaited<ReturnType<typeof jsonHttpsServer>>;
  let tlsDir: string;

  beforeAll(async () => {
    tlsDir = await mkdtemp(join(tmpdir(), 'wikibot-tls-'));
    const tls = await selfSignedCertificate(tlsDir);
    const documents = new Map<string, unknown>();
    site = await jsonHttpsServer(tls, documents);
    documents.set('/sdk-agent.json', {
      client_id: `${site.origin}/sdk-agent.json`,
      client_name: 'SDK Agent (metadata document)',
      redirect_uris: [callback.url],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    const dataDir = await freshDataDir('wikibot-cimd-sdk-');
    await writeWikibotToml(
      dataDir,
      `[auth]\nca_file = "${tls.certFile}"\n[auth.oauth]\nclient_metadata_private_hosts = true\n`,
    );
    cimdServer = await startTestServer({ dataDir });
    const account = await cimdServer.services.auth.users.create({
      username: alice.login,
      password: alice.password,
    });
    await cimdServer.services.auth.members.grant('main', account.id, 'editor');
  });
  afterAll(async () => {
    await cimdServer.stop();
    await site.close();
    await removeDir(cimdServer.dataDir);
    await removeDir(tlsDir);
  });

  it('uses the document URL as client_id (no registration), then signs in, consents and calls a tool', async () => {
    const provider = new MemoryOAuthProvider(callback.url, {
      clientMetadataUrl: `${site.origin}/sdk-agent.json`,
    });
    const browser = new Browser();
    const first = mcpClient(mcpUrl(cimdServer), provider);
    await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const opened = provider.opened.at(-1) as URL;
    expect(opened.searchParams.get('client_id')).toBe(`${site.origin}/sdk-agent.json`);
    const { callback: landing, consent } = await authorizeAsUser(browser, opened.href, alice, {
      redirectUri: callback.url,
    });
    expect(consent?.text).toContain('SDK Agent (metadata document)');
    await browser.get(landing.href);
    await first.transport.finishAuth(callback.received.at(-1) as URLSearchParams);
    const { client, transport } = mcpClient(mcpUrl(cimdServer), provider);
    await client.connect(transport);
    const result = await client.callTool({ name: 'read_note', arguments: { path: 'Missing page' } });
    expect(JSON.stringify(result.content)).toContain('Page not found');
    expect(site.requests).toContain('/sdk-agent.json');
    await client.close();
  });
});
