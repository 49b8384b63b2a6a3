import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, failure } from '../mcp/support.js';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir, type TestServer } from '../support/server.js';
import { pageUrl } from './support.js';

/**
 * The worst searches found against issue 10, run against `wikibot serve` in its own process while
 * /health is asked again and again: every probe must be answered, and every bomb must get a
 * bounded answer (results, or a 4xx naming the limit). Answers are asserted, not durations.
 */
const ADMIN = 'search-bombs-admin-token-0123456789';
let dataDir: string;
let server: ServeProcess;

const SENTENCES = [
  'The river ran past the mill and the miller watched the water turn the wheel.',
  'A storm came over the hills, and the sheep crowded into a corner of the field.',
  'In the evening the village gathered at the inn to hear the news from the town.',
  'The old map showed a path through the forest to a bridge that no longer stood.',
];

/** English prose of about `bytes` bytes, full of "the" and "a", with a rare word at the very end. */
function prose(bytes: number, last: string): string {
  const paragraphs: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const paragraph = `${SENTENCES[i % 4]} ${SENTENCES[(i + 1) % 4]} ${SENTENCES[(i + 3) % 4]}`;
    paragraphs.push(i % 10 === 0 ? `## Part ${i}\n\n**${paragraph}**` : paragraph);
    size += paragraph.length + 2;
  }
  return `${paragraphs.join('\n\n')}\n\n${last}`;
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
}

/** GET /health on a fresh connection (no pooled socket to outlive) until `done` settles. */
async function probeHealthUntil(done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const statuses: number[] = [];
  do {
    statuses.push(
      await new Promise<number>((resolve) => {
        const req = request(`${server.url}/health`, { agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
        req.end();
      }),
    );
  } while (!finished);
  return statuses;
}

/** Run the bombs while probing; every probe answered 200. */
async function whileProbing<T>(bombs: () => Promise<T>): Promise<T> {
  const running = bombs();
  const probes = await probeHealthUntil(running);
  expect(probes.length).toBeGreaterThan(0);
  expect(probes.filter((status) => status !== 200)).toEqual([]);
  return running;
}

const the20 = Array(20).fill('the').join(' ');
const a250 = Array(250).fill('a').join(' ');
const manyWords = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
const tooLong = Array(200).fill('the').join(' ');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-search-bombs-'));
  server = await serveProcess(['--data', dataDir, '--port', '0'], {
    WIKIBOT_ADMIN_TOKEN: ADMIN,
    WIKIBOT_EMBEDDING_PROVIDER: 'none',
    WIKIBOT_LOG_LEVEL: 'warn',
  });
  for (const [path, content] of [
    ['Prose', prose(42 * 1024, 'zanzibar')],
    ['Huge', prose(500 * 1024, 'quetzal')],
  ] as const) {
    expect((await api('PUT', pageUrl(path), { content })).status).toBe(201);
  }
});

afterAll(async () => {
  await server?.stop();
  if (dataDir) await removeDir(dataDir);
});

describe('the worst searches, while /health is probed', () => {
  it('REST: repeated words are searched once; over the limits is a 422 naming the limit', async () => {
    const search = (q: string) => api('GET', `/w/main/api/v1/search?q=${encodeURIComponent(q)}`);
    const [the, a, many, long] = await whileProbing(() =>
      Promise.all([search(the20), search(a250), search(manyWords), search(tooLong)]),
    );
    for (const answer of [the, a]) {
      expect(answer.status).toBe(200);
      const { results, total } = JSON.parse(answer.text);
      expect(results.map((r: { path: string }) => r.path)).toEqual(expect.arrayContaining(['Prose', 'Huge']));
      expect(total).toBe(results.length);
      for (const result of results) expect(result.snippet.length).toBeLessThan(400);
    }
    expect(JSON.parse(the.text).results[0].snippet).toMatch(
      /^Part 0 \*\*The\*\* river ran past \*\*the\*\* mill/,
    );
    expect(many.status).toBe(422);
    expect(JSON.parse(many.text).error).toBe('Search query too long: at most 10 terms');
    expect(long.status).toBe(422);
    expect(JSON.parse(long.text).error).toBe('Search query too long: at most 500 characters');
  });

  it('MCP search_notes over the official SDK client: results, or isError naming the limit', async () => {
    const client: Client = await connect({ url: server.url } as TestServer, 'modern', ADMIN);
    try {
      const [letter, many] = await whileProbing(() =>
        Promise.all([
          client.callTool({ name: 'search_notes', arguments: { query: a250 } }),
          failure(client, 'search_notes', { query: manyWords }),
        ]),
      );
      expect(letter.isError).toBeFalsy();
      const { results } = letter.structuredContent as { results: { path: string }[] };
      expect(results.map((r) => r.path)).toEqual(expect.arrayContaining(['Prose', 'Huge']));
      expect(many).toMatch(/Search query too long: at most 10 terms/);
    } finally {
      await client.close();
    }
  });

  it('web search page: results, or a 422 page naming the limit', async () => {
    const page = (q: string) => api('GET', `/w/main/-/search?q=${encodeURIComponent(q)}`);
    const [the, many] = await whileProbing(() => Promise.all([page(the20), page(manyWords)]));
    expect(the.status).toBe(200);
    expect(the.text).toContain('<a href="/w/main/Prose">Prose</a>');
    expect(the.text).toContain('Part 0 <mark>The</mark> river ran past <mark>the</mark> mill');
    expect(many.status).toBe(422);
    expect(many.text).toContain('Search query too long: at most 10 terms');
  });

  it('finds a word at the end of the 500 KB page, its snippet from the start of the page', async () => {
    const res = JSON.parse((await api('GET', '/w/main/api/v1/search?q=quetzal')).text);
    expect(res.total).toBe(1);
    expect(res.results[0].path).toBe('Huge');
    expect(res.results[0].snippet).toMatch(/^Part 0 The river ran past the mill/);
    expect(res.results[0].snippet).not.toContain('**');
  });
});
