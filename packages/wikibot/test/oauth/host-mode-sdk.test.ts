import { UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../mcp/support.js';
import { loopbackFetch, startHostModeServer } from '../support/loopbackHosts.js';
import { removeDir, type TestServer } from '../support/server.js';
import { Browser } from './support/browser.js';
import {
  callbackListener,
  MemoryOAuthProvider,
  mcpClient,
  personAuthorizes,
  rawToolsList,
} from './support/mcpAgent.js';
import type { Person } from './support/oauthClient.js';
import { createPerson } from './support/people.js';

/**
 * OAuth for MCP clients in host mode (SPEC §8): the MCP endpoint of wiki "main" is
 * `http://main.localhost:<port>/mcp`; its protected resource metadata is served on that host, the
 * token's audience is that URL, and the authorization server stays on the base URL. Clients reach
 * the wiki hosts on loopback (support/loopbackHosts.ts).
 */
let server: TestServer;
let port: number;
let alice: Person;
let callback: Awaited<ReturnType<typeof callbackListener>>;
const base = () => `http://localhost:${port}`;
const hostMcp = (slug: string) => `http://${slug}.localhost:${port}/mcp`;

beforeAll(async () => {
  ({ server, port } = await startHostModeServer());
  await server.services.registry.create('other', { title: 'Other', template: false });
  alice = await createPerson(server, 'alice', { main: 'editor', other: 'editor' });
  callback = await callbackListener();
  const token = await server.token(['wiki:write']);
  const put = await fetch(`${server.api('main')}/pages/Hosted`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: '# Hosted\n\nOn its own host.' }),
  });
  expect(put.status).toBe(201);
});
afterAll(async () => {
  await server.stop();
  await callback.close();
  await removeDir(server.dataDir);
});

describe('MCP SDK client OAuth against a wiki on its own host', () => {
  let accessToken: string;

  it('discovers the metadata on the wiki host, signs in on the base URL and calls read_note', async () => {
    const provider = new MemoryOAuthProvider(callback.url);
    const first = mcpClient(hostMcp('main'), provider, loopbackFetch);
    await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.opened.at(-1)?.origin).toBe(base());
    expect(provider.opened.at(-1)?.searchParams.get('resource')).toBe(hostMcp('main'));
    await first.transport.finishAuth(
      await personAuthorizes(provider, new Browser(), { callback, person: alice }),
    );

    const { client, transport } = mcpClient(hostMcp('main'), provider, loopbackFetch);
    await client.connect(transport);
    try {
      const { structured } = await call(client, 'read_note', { path: 'Hosted' });
      expect(structured.content).toContain('On its own host.');
    } finally {
      await client.close();
    }
    accessToken = provider.tokens()?.access_token as string;
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString());
    expect(claims.aud).toBe(hostMcp('main'));
    expect(claims.iss).toBe(base());
  });

  it('serves the resource metadata on the wiki host, naming the base URL as authorization server', async () => {
    const res = await loopbackFetch(`http://main.localhost:${port}/.well-known/oauth-protected-resource/mcp`);
    expect(res.status).toBe(200);
    const metadata = await res.json();
    expect(metadata.resource).toBe(hostMcp('main'));
    expect(metadata.authorization_servers).toEqual([base()]);
  });

  it('refuses the token on another wiki’s host, pointing at that host’s metadata', async () => {
    const raw = await rawToolsList(hostMcp('other'), accessToken, loopbackFetch);
    expect(raw.status).toBe(401);
    const challenge = raw.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/error="invalid_token"/);
    expect(challenge).toContain(
      `resource_metadata="http://other.localhost:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(await raw.text()).toContain('audience');
  });

  it('accepts the token at the same wiki’s path-mode endpoint on the base URL', async () => {
    const raw = await rawToolsList(`${base()}/w/main/mcp`, accessToken, loopbackFetch);
    expect(raw.status).toBe(200);
  });
});
