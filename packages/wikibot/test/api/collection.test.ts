import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let writer: string;

const page = (path: string) => `/w/main/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
const put = (path: string, content: string) =>
  server.call('PUT', page(path), { token: writer, body: { content } });
const get = (path: string) => server.call('GET', `/w/main/api/v1${path}`, { token: writer });

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
  await put(
    'Projects/Alpha',
    '---\ncategory: Projects\ntags: [Rust, cli]\n---\n# Alpha\n\nThe alpha project builds a command line tool in rust. See [[Projects/Beta]].',
  );
  await put(
    'Projects/Beta',
    '---\ncategory: projects\ntags: rust, web\n---\nBeta serves a web frontend. Back to [[Alpha|Projects/Alpha]].',
  );
  await put(
    'Journal/Monday',
    '---\ncategory: journal\ntags: [daily]\n---\nMet the team about kubernetes clusters and [[Projects/Alpha#Setup]].',
  );
  await put('Lonely', 'Nobody links here. Kubernetes is mentioned once.');
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('GET /pages', () => {
  it('lists every page with otterwiki-api fields', async () => {
    const res = await get('/pages');
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(4);
    const alpha = res.json.pages.find((p: any) => p.path === 'Projects/Alpha');
    expect(alpha).toEqual({
      name: 'Alpha',
      path: 'Projects/Alpha',
      category: 'Projects',
      tags: ['Rust', 'cli'],
      last_updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      content_length: 14,
    });
  });

  it('filters by prefix, category and tag case-insensitively, AND-combined', async () => {
    const byPrefix = await get('/pages?prefix=projects/');
    expect(byPrefix.json.pages.map((p: any) => p.path)).toEqual(['Projects/Alpha', 'Projects/Beta']);
    const byCategory = await get('/pages?category=PROJECTS');
    expect(byCategory.json.total).toBe(2);
    const byTag = await get('/pages?tag=rust');
    expect(byTag.json.pages.map((p: any) => p.path)).toEqual(['Projects/Alpha', 'Projects/Beta']);
    const combined = await get('/pages?tag=rust&category=projects&prefix=Projects/B');
    expect(combined.json.pages.map((p: any) => p.path)).toEqual(['Projects/Beta']);
  });

  it('filters by updated_since and refuses a malformed date with 422', async () => {
    const future = await get('/pages?updated_since=2999-01-01');
    expect(future.json.total).toBe(0);
    const past = await get('/pages?updated_since=2000-01-01T00:00:00Z');
    expect(past.json.total).toBe(4);
    const bad = await get('/pages?updated_since=yesterday');
    expect(bad.status).toBe(422);
    expect(bad.json.error).toBe('Invalid updated_since format. Use ISO 8601.');
  });

  it('pages with limit and offset while total counts all', async () => {
    const res = await get('/pages?limit=1&offset=1');
    expect(res.json.pages).toHaveLength(1);
    expect(res.json.total).toBe(4);
    expect((await get('/pages?limit=0')).status).toBe(422);
  });
});

describe('GET /search', () => {
  it('ranks matches by BM25 with snippets', async () => {
    const res = await get('/search?q=kubernetes');
    expect(res.status).toBe(200);
    expect(res.json.query).toBe('kubernetes');
    expect(res.json.total).toBe(2);
    expect(res.json.results.map((r: any) => r.path).sort()).toEqual(['Journal/Monday', 'Lonely']);
    for (const r of res.json.results) {
      expect(r).toEqual({
        name: expect.any(String),
        path: expect.any(String),
        snippet: expect.stringContaining('**'),
        score: expect.any(Number),
      });
    }
    const scores = res.json.results.map((r: any) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('supports stemming, phrases and prefixes, and never fails on syntax', async () => {
    expect((await get('/search?q=builds')).json.results[0].path).toBe('Projects/Alpha');
    expect((await get('/search?q="command line"')).json.total).toBe(1);
    expect((await get('/search?q=kube*')).json.total).toBe(2);
    const weird = await get(`/search?q=${encodeURIComponent('") OR NEAR( * ^ :')}`);
    expect(weird.status).toBe(200);
  });

  it('requires q (422)', async () => {
    const res = await get('/search');
    expect(res.status).toBe(422);
    expect(res.json.error).toBe("Query parameter 'q' is required");
  });
});

describe('links', () => {
  it('answers links of a page both ways, and never 404', async () => {
    const alpha = await get('/links/Projects/Alpha');
    expect(alpha.json).toEqual({
      path: 'Projects/Alpha',
      links_to: ['Projects/Beta'],
      linked_from: ['Journal/Monday', 'Projects/Beta'],
    });
    const ghost = await get('/links/Ghost');
    expect(ghost.status).toBe(200);
    expect(ghost.json).toEqual({ path: 'Ghost', links_to: [], linked_from: [] });
  });

  it('returns the whole graph', async () => {
    const res = await get('/links');
    expect(res.json.nodes).toEqual(['Journal/Monday', 'Lonely', 'Projects/Alpha', 'Projects/Beta']);
    expect(res.json.edges).toContainEqual({ source: 'Journal/Monday', target: 'Projects/Alpha' });
    expect(res.json.edges).toContainEqual({ source: 'Projects/Alpha', target: 'Projects/Beta' });
  });
});

describe('GET /changelog', () => {
  it('lists commits newest first with pages_affected', async () => {
    const res = await get('/changelog?limit=2');
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(2);
    expect(res.json.entries[0]).toEqual({
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      author: 'test wiki:read wiki:write',
      date: expect.any(String),
      message: '[api] Create: Lonely',
      pages_affected: ['Lonely'],
    });
    expect(res.json.entries[1].pages_affected).toEqual(['Journal/Monday']);
  });
});

describe('service routes', () => {
  it('answers /health without a token', async () => {
    expect((await server.call('GET', '/w/main/api/v1/health')).json).toEqual({ status: 'ok' });
    expect((await server.call('GET', '/health')).json).toEqual({ status: 'ok' });
    expect((await server.call('GET', '/ready')).json).toEqual({ status: 'ready' });
  });

  it('serves an OpenAPI 3.1 document describing every route', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining([
        '/pages',
        '/pages/{path}',
        '/pages/{path}/rename',
        '/search',
        '/changelog',
        '/pages/{path}/attachments',
      ]),
    );
    const put = res.json.paths['/pages/{path}'].put;
    expect(put.requestBody.content['application/json'].schema).toBeDefined();
  });

  it('answers an unknown wiki with 404', async () => {
    const res = await server.call('GET', '/w/nowiki/api/v1/pages', { token: writer });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('Wiki not found: nowiki');
  });

  it('rebuilds the index with POST /reindex and reports status', async () => {
    const started = await server.call('POST', '/w/main/api/v1/reindex', { token: writer });
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ status: 'started' });
    const wiki = await server.services.registry.wiki('main');
    // biome-ignore lint/complexity/useLiteralKeys: waiting for the background run the endpoint started
    await wiki['reindexer'].settled();
    const status = await get('/reindex/status');
    expect(status.json).toMatchObject({ status: 'complete', pages_total: 4, pages_done: 4, error: null });
    expect((await get('/search?q=kubernetes')).json.total).toBe(2);
  });
});
