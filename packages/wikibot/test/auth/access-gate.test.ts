import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

/**
 * Every door passes one access gate: whatever a request needs (reading, then writing), it leaves
 * exactly one auth decision line, with the door, the scope finally required and the outcome.
 */
let server: TestServer;
let readToken: string;
let writeToken: string;
let spy: MockInstance;

beforeAll(async () => {
  server = await startTestServer();
  readToken = await server.token(['wiki:read']);
  writeToken = await server.token(['wiki:read', 'wiki:write']);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});
beforeEach(() => {
  spy = vi.spyOn(server.services.logger, 'info');
});
afterEach(() => spy.mockRestore());

/** The auth decision lines logged so far. */
function decisions(): Record<string, unknown>[] {
  return spy.mock.calls
    .map((call) => call[0] as Record<string, unknown>)
    .filter((fields) => fields && fields.event === 'auth');
}

describe('one decision line per request', () => {
  it('REST: a read allowed', async () => {
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: readToken })).status).toBe(200);
    expect(decisions()).toEqual([
      expect.objectContaining({ door: 'api', required: 'wiki:read', allowed: true, reason: 'ok' }),
    ]);
  });

  it('REST: a write refused for want of scope', async () => {
    const res = await server.call('PUT', '/w/main/api/v1/pages/Gate', {
      token: readToken,
      body: { content: '# Gate' },
    });
    expect(res.status).toBe(403);
    expect(decisions()).toEqual([
      expect.objectContaining({
        door: 'api',
        required: 'wiki:write',
        allowed: false,
        reason: 'missing scope wiki:write',
      }),
    ]);
  });

  it('REST: a credential that is not genuine', async () => {
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: 'wbt_forged' })).status).toBe(401);
    expect(decisions()).toEqual([
      expect.objectContaining({ door: 'api', subject: 'unknown', allowed: false }),
    ]);
  });

  it('MCP: a tool call without a credential', async () => {
    const res = await server.call('POST', '/w/main/mcp', {
      headers: { accept: 'application/json, text/event-stream' },
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'read_note', arguments: { path: 'Home' } },
      },
    });
    expect(res.status).toBe(401);
    expect(decisions()).toEqual([
      expect.objectContaining({ door: 'mcp', tool: 'read_note', required: 'wiki:read', allowed: false }),
    ]);
  });

  it('web: the editor needs read, then write, and logs the write once', async () => {
    const res = await server.call('GET', '/w/main/-/create', { token: writeToken });
    expect(res.status).toBe(200);
    expect(decisions()).toEqual([
      expect.objectContaining({ door: 'web', required: 'wiki:write', allowed: true }),
    ]);
  });

  it('web: a refusal is logged once', async () => {
    const res = await server.call('GET', '/w/main/-/create', { token: readToken });
    expect(res.status).toBe(403);
    expect(decisions()).toEqual([
      expect.objectContaining({ door: 'web', required: 'wiki:write', allowed: false }),
    ]);
  });

  it('web: the platform admin area sends a visitor to log in, the refusal logged once', async () => {
    const res = await fetch(`${server.url}/-/admin`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/-\/login\?next=/);
    expect(decisions()).toEqual([
      expect.objectContaining({ door: 'web', required: 'wiki:admin', allowed: false }),
    ]);
  });

  it('git: an anonymous clone is challenged with Basic and logged once', async () => {
    const res = await server.call('GET', '/w/main.git/info/refs?service=git-upload-pack');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="wikibot", charset="UTF-8"');
    expect(decisions()).toEqual([
      expect.objectContaining({
        door: 'git',
        required: 'wiki:read',
        allowed: false,
        reason: 'authentication required',
      }),
    ]);
  });
});

describe('one resolution per request', () => {
  it('reads the wiki record once for a web page that needs more than reading', async () => {
    const get = vi.spyOn(server.services.registry, 'get');
    try {
      expect((await server.call('GET', '/w/main/-/create', { token: writeToken })).status).toBe(200);
      expect(get.mock.calls.filter(([slug]) => slug === 'main')).toHaveLength(1);
    } finally {
      get.mockRestore();
    }
  });
});
