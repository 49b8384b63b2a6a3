import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let writer: string;

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
  await server.call('PUT', '/w/main/api/v1/pages/Target', {
    token: writer,
    body: { content: 'target page' },
  });
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

/** Requests a careless or hostile client might send. None may produce a 500 or take the server down. */
const MALFORMED: { method: string; path: string; body?: string; headers?: Record<string, string> }[] = [
  { method: 'PUT', path: '/pages/Target', body: '{' },
  { method: 'PUT', path: '/pages/Target', body: '[]' },
  { method: 'PUT', path: '/pages/Target', body: 'null' },
  { method: 'PUT', path: '/pages/Target', body: '"just a string"' },
  { method: 'PUT', path: '/pages/Target', body: '{"content": {"nested": true}}' },
  { method: 'PUT', path: '/pages/Target', body: '{"content": "x", "revision": 12345678}' },
  { method: 'PUT', path: '/pages/Target', body: '{"content": "x", "revision": "zzzzzzzz"}' },
  { method: 'PUT', path: '/pages/New%00Page', body: '{"content": "x"}' },
  { method: 'PUT', path: '/pages/%E0%A4%A', body: '{"content": "x"}' },
  { method: 'PUT', path: '/pages/%ZZ', body: '{"content": "x"}' },
  { method: 'PUT', path: '/pages/a%2F..%2Fb', body: '{"content": "x"}' },
  { method: 'PUT', path: '/pages/', body: '{"content": "x"}' },
  { method: 'PATCH', path: '/pages/Target', body: '{"revision": [], "old_string": 1, "new_string": null}' },
  {
    method: 'PATCH',
    path: '/pages/Target',
    body: '{"revision": "0000000", "old_string": "", "new_string": "x"}',
  },
  { method: 'POST', path: '/pages/Target/rename', body: '{"new_path": 42}' },
  { method: 'POST', path: '/pages/Target/rename', body: '{"new_path": "   "}' },
  { method: 'POST', path: '/pages/Target/attachments', body: '{"filename": "x.bin", "content": "@@@"}' },
  { method: 'POST', path: '/pages/Target/attachments', body: '{"filename": "", "content": ""}' },
  { method: 'POST', path: '/pages/Target/attachments', body: '{"filename": "a\\u0000b", "content": "AAAA"}' },
  { method: 'GET', path: '/pages/Target/attachments/%2e%2e%2fsecret' },
  { method: 'DELETE', path: '/pages/Target/attachments/..' },
  { method: 'GET', path: '/pages?limit=-1' },
  { method: 'GET', path: '/pages?limit=abc&offset=1e999' },
  { method: 'GET', path: '/pages?updated_since=2024-13-45T99:99:99Z' },
  { method: 'GET', path: `/search?q=${'"'.repeat(1000)}` },
  { method: 'GET', path: `/search?q=${encodeURIComponent('NEAR(a b, -1) OR * AND ^')}` },
  { method: 'GET', path: '/pages/Target?revision=--all' },
  { method: 'GET', path: '/pages/Target?format=pdf' },
  { method: 'GET', path: '/changelog?limit=1000000' },
  {
    method: 'PUT',
    path: '/pages/Target',
    body: '{"content": "x"}',
    headers: { 'content-type': 'text/plain' },
  },
  {
    method: 'PUT',
    path: '/pages/Target',
    body: '{"content": "x"}',
    headers: { 'if-match': '"not-a-revision"' },
  },
];

describe('malformed requests', () => {
  it('answer 4xx with a JSON error naming the problem, never 500', async () => {
    for (const req of MALFORMED) {
      const res = await server.call(req.method, `/w/main/api/v1${req.path}`, {
        token: writer,
        ...(req.body === undefined ? {} : { body: req.body }),
        ...(req.headers ? { headers: req.headers } : {}),
      });
      const label = `${req.method} ${req.path} ${req.body ?? ''}`;
      expect(res.status, label).toBeLessThan(500);
      if (res.status >= 400) expect(typeof res.json?.error, label).toBe('string');
    }
    // The server is still up and the page untouched.
    const page = await server.call('GET', '/w/main/api/v1/pages/Target', { token: writer });
    expect(page.json.content).toBe('target page');
  });
});
