import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { connect, ERAS, mcpUrl, rawRpc } from './support.js';

const READ_TOOLS = [
  'read_note',
  'list_notes',
  'search_notes',
  'semantic_search',
  'get_links',
  'get_recent_changes',
  'get_history',
  'find_orphaned_notes',
  'list_attachments',
  'download_attachment',
];
const WRITE_TOOLS = [
  'write_note',
  'edit_note',
  'rename_note',
  'delete_note',
  'upload_attachment',
  'delete_attachment',
];
const ALL_TOOLS = [
  'read_note',
  'write_note',
  'edit_note',
  'list_notes',
  'search_notes',
  'semantic_search',
  'get_links',
  'get_recent_changes',
  'get_history',
  'rename_note',
  'delete_note',
  'find_orphaned_notes',
  'list_attachments',
  'upload_attachment',
  'download_attachment',
  'delete_attachment',
];

let server: TestServer;
let writer: string;
let reader: string;
let writeOnly: string;
let otherWiki: string;
let metadataUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  await server.services.registry.create('other', { template: false });
  writer = await server.token(['wiki:read', 'wiki:write']);
  reader = await server.token(['wiki:read']);
  writeOnly = await server.token(['wiki:write']);
  otherWiki = await server.token(['wiki:read', 'wiki:write'], 'other');
  metadataUrl = `${server.url}/.well-known/oauth-protected-resource/w/main/mcp`;
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe.each(ERAS)('the %s era', (era) => {
  it('negotiates its protocol revision on the one endpoint', async () => {
    const client = await connect(server, era, reader);
    expect(client.getProtocolEra()).toBe(era);
    expect(client.getNegotiatedProtocolVersion()).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
    expect(client.getServerVersion()?.name).toBe('wikibot');
    await client.close();
  });

  it('answers with plain JSON, not a stream', async () => {
    const res = await rawRpc(server, era, 'tools/list', {}, { token: reader });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['mcp-session-id']).toBeUndefined();
  });

  it('shows a writer every tool, with output schemas and annotations', async () => {
    const client = await connect(server, era, writer);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(ALL_TOOLS);
    for (const tool of tools) {
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(READ_TOOLS.includes(tool.name));
    }
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive).toEqual(['delete_note', 'delete_attachment']);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(
      /no_such_tool not found/,
    );
    await client.close();
  });

  it('shows a read-only token only the read tools, and refuses a write tool with 403 insufficient_scope', async () => {
    const client = await connect(server, era, reader);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
    await expect(
      client.callTool({ name: 'write_note', arguments: { path: `Denied ${era}`, content: 'x' } }),
    ).rejects.toThrow();
    await client.close();

    const res = await rawRpc(
      server,
      era,
      'tools/call',
      { name: 'write_note', arguments: { path: `Denied ${era}`, content: 'x' } },
      { token: reader },
    );
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="wiki:write", resource_metadata="${metadataUrl}"`,
    );
    const page = await server.call('GET', `/w/main/api/v1/pages/Denied%20${era}`, { token: writer });
    expect(page.status).toBe(404);
  });

  it('shows a write-only token only the write tools, and no resources or prompts', async () => {
    const client = await connect(server, era, writeOnly);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...WRITE_TOOLS].sort());
    expect(client.getServerCapabilities()?.resources).toBeUndefined();
    expect(client.getServerCapabilities()?.prompts).toBeUndefined();
    const resources = await rawRpc(server, era, 'resources/list', {}, { token: writeOnly });
    expect(resources.json).toMatchObject({ error: { code: -32601 } });
    const res = await rawRpc(
      server,
      era,
      'tools/call',
      { name: 'read_note', arguments: { path: 'Home' } },
      { token: writeOnly },
    );
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="wiki:read", resource_metadata="${metadataUrl}"`,
    );
    await client.close();
  });

  it('asks a caller without a token to authenticate: 401 naming the resource metadata and scope', async () => {
    const res = await rawRpc(server, era, 'tools/list');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${metadataUrl}", scope="wiki:read"`,
    );
    await expect(connect(server, era)).rejects.toThrow();
  });

  it('refuses an invalid token with 401 invalid_token', async () => {
    const res = await rawRpc(server, era, 'tools/list', {}, { token: 'wbt_0000000000000000_nope' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.headers['www-authenticate']).toContain(`resource_metadata="${metadataUrl}"`);
  });

  it('refuses a token of another wiki with 403', async () => {
    const res = await rawRpc(server, era, 'tools/list', {}, { token: otherWiki });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="wiki:read", resource_metadata="${metadataUrl}"`,
    );
    const own = await rawRpc(server, era, 'tools/list', {}, { token: otherWiki, slug: 'other' });
    expect(own.status).toBe(200);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding) and accepts localhost ones', async () => {
    const evilHost = await rawRpc(
      server,
      era,
      'tools/list',
      {},
      { token: reader, headers: { host: 'evil.example.com' } },
    );
    expect(evilHost.status).toBe(403);
    expect(evilHost.body).toContain('Invalid Host');
    const evilOrigin = await rawRpc(
      server,
      era,
      'tools/list',
      {},
      { token: reader, headers: { origin: 'http://evil.example.com' } },
    );
    expect(evilOrigin.status).toBe(403);
    expect(evilOrigin.body).toContain('Invalid Origin');
    const local = await rawRpc(
      server,
      era,
      'tools/list',
      {},
      {
        token: reader,
        headers: { host: 'localhost:9999', origin: 'http://localhost:3000' },
      },
    );
    expect(local.status).toBe(200);
  });
});

describe('tool list caching', () => {
  it('marks the 2026-07-28 tool list private to the caller', async () => {
    const res = await rawRpc(server, 'modern', 'tools/list', {}, { token: reader });
    expect(res.json).toMatchObject({ result: { cacheScope: 'private', ttlMs: expect.any(Number) } });
  });
});

describe('the endpoint', () => {
  it('answers GET (a 2025 session stream) with 405: it is stateless', async () => {
    const res = await fetch(mcpUrl(server), { headers: { authorization: `Bearer ${reader}` } });
    expect(res.status).toBe(405);
  });

  it('answers 404 for a wiki that does not exist', async () => {
    const res = await rawRpc(server, 'modern', 'tools/list', {}, { token: writer, slug: 'nope' });
    expect(res.status).toBe(404);
  });
});

describe('Protected Resource Metadata (RFC 9728)', () => {
  it("serves each wiki's MCP resource at the path-aware location, naming the wiki's authorization servers", async () => {
    const res = await server.call('GET', '/.well-known/oauth-protected-resource/w/main/mcp');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const wiki = await server.call('GET', '/.well-known/oauth-protected-resource/w/main');
    expect(res.json).toEqual({
      resource: `${server.url}/w/main/mcp`,
      resource_name: 'Main (wikibot)',
      authorization_servers: wiki.json.authorization_servers,
      scopes_supported: expect.arrayContaining(['wiki:read', 'wiki:write']),
      bearer_methods_supported: ['header'],
    });
  });

  it('serves the root form for the deployment', async () => {
    const res = await server.call('GET', '/.well-known/oauth-protected-resource');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ resource: server.url, bearer_methods_supported: ['header'] });
    expect(res.json.scopes_supported).toEqual(expect.arrayContaining(['wiki:read', 'wiki:write']));
  });

  it('answers 404 for an unknown wiki', async () => {
    const res = await server.call('GET', '/.well-known/oauth-protected-resource/w/nope/mcp');
    expect(res.status).toBe(404);
  });
});

describe('malformed requests', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(mcpUrl(server), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${writer}`,
        'content-type': contentType,
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body,
    });

  it.each([
    ['broken JSON', '{"jsonrpc": "2.0", "id": 1, "method": '],
    ['an empty body', ''],
    ['an empty batch', '[]'],
    ['a JSON-RPC request without a method', '{"jsonrpc":"2.0","id":1}'],
    ['a tools/call without params', '{"jsonrpc":"2.0","id":1,"method":"tools/call"}'],
    [
      'a tools/call with a non-string name',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":42}}',
    ],
    ['a number', '42'],
  ])('answers %s with an error, never a 500', async (_what, body) => {
    const res = await post(body);
    expect(res.status).toBeLessThan(500);
    const answer = await res.text();
    // A 4xx, or a JSON-RPC error (2025-era servers answer those with 200).
    if (res.status < 400) expect(JSON.parse(answer)).toMatchObject({ error: { code: expect.any(Number) } });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await post('jsonrpc=2.0', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
  });
});
