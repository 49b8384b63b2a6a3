import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/http/rateLimit.js';
import { cloneUrl, git } from '../git-http/support.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      WIKIBOT_REQUESTS_PER_MINUTE_TOKEN: '2',
      WIKIBOT_REQUESTS_PER_MINUTE_ANONYMOUS: '2',
      // The test client is the trusted proxy: each test speaks for its own client address.
      WIKIBOT_TRUSTED_PROXIES: '127.0.0.1',
    },
  });
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const MCP_REQUEST = {
  body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
  headers: { accept: 'application/json, text/event-stream' },
};

/** The third of three calls, after two that were let through. */
async function third(call: () => ReturnType<TestServer['call']>) {
  for (let i = 0; i < 2; i++) expect((await call()).status).not.toBe(429);
  return call();
}

function expectRetryAfter(answer: { status: number; headers: Headers }) {
  expect(answer.status).toBe(429);
  const wait = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(wait)).toBe(true);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
}

describe('per token', () => {
  it('answers REST with 429 and Retry-After beyond the limit; other tokens go on', async () => {
    const token = await server.token(['wiki:read']);
    const answer = await third(() => server.call('GET', '/w/main/api/v1/pages', { token }));
    expectRetryAfter(answer);
    expect(answer.json.error).toMatch(
      /^Too many requests: the limit is 2 a minute per token; retry in \d+ s$/,
    );
    const other = await server.token(['wiki:read']);
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: other })).status).toBe(200);
  });

  it('limits MCP requests', async () => {
    const token = await server.token(['wiki:read']);
    const answer = await third(() => server.call('POST', '/w/main/mcp', { token, ...MCP_REQUEST }));
    expectRetryAfter(answer);
    expect(answer.json.error).toMatch(/per token/);
  });

  it('limits git over HTTP, and the git client reports it', async () => {
    const token = await server.token(['wiki:read']);
    const refs = () => server.call('GET', '/w/main.git/info/refs?service=git-upload-pack', { token });
    expectRetryAfter(await third(refs));
    const listed = await git(process.cwd(), ['ls-remote', cloneUrl(server.url, 'main', token)]);
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(/429/);
  });
});

describe('per anonymous client address', () => {
  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('answers the web UI with 429 and Retry-After; other addresses go on', async () => {
    const answer = await third(() => server.call('GET', '/-/login', from('203.0.113.7')));
    expectRetryAfter(answer);
    expect(answer.text).toMatch(/^Too many requests: the limit is 2 a minute per client address/);
    expect((await server.call('GET', '/-/login', from('203.0.113.8'))).status).toBe(200);
  });

  it('limits anonymous REST, MCP and git requests', async () => {
    expectRetryAfter(await third(() => server.call('GET', '/w/main/api/v1/pages', from('198.51.100.1'))));
    expectRetryAfter(
      await third(() =>
        server.call('POST', '/w/main/mcp', {
          ...MCP_REQUEST,
          headers: { ...MCP_REQUEST.headers, 'x-forwarded-for': '198.51.100.2' },
        }),
      ),
    );
    expectRetryAfter(
      await third(() =>
        server.call('GET', '/w/main.git/info/refs?service=git-upload-pack', from('198.51.100.3')),
      ),
    );
  });

  it('never limits the probes', async () => {
    const address = from('192.0.2.99');
    expectRetryAfter(await third(() => server.call('GET', '/-/login', address)));
    for (let i = 0; i < 10; i++) {
      expect((await server.call('GET', '/health', address)).status).toBe(200);
      expect((await server.call('GET', '/ready', address)).status).toBe(200);
    }
  });
});

describe('RateLimiter', () => {
  it('refills at the limit’s pace and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(6, 100, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10);
    now += 10_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10);
  });

  it('remembers a bounded number of clients, forgetting the idlest', () => {
    const limiter = new RateLimiter(1, 3, () => 0);
    for (const client of ['a', 'b', 'c', 'd']) limiter.take(client);
    expect(limiter.size).toBe(3);
    // "a" was forgotten: it starts with a full bucket; "d" is still empty.
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('d')).toBe(60);
  });
});
