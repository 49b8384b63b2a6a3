import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { type EmbeddingServer, embeddingEnv, pageUrl, startEmbeddingServer, waitFor } from './support.js';

let embedder: EmbeddingServer;
let server: TestServer;
let token: string;

const api = (path: string) => `/w/main/api/v1${path}`;
const put = (path: string, content: string) =>
  server.call('PUT', pageUrl(path), { token, body: { content } });
const semantic = async (query: string, params = '') =>
  server.call('GET', api(`/semantic-search?q=${encodeURIComponent(query)}${params}`), { token });
const paths = (response: { json: any }) => response.json.results.map((r: any) => r.path) as string[];

/** Wait until every chunk has a vector, as GET /reindex/status reports it. */
async function drained(): Promise<void> {
  await waitFor('the embedding queue to drain', async () => {
    const status = (await server.call('GET', api('/reindex/status'), { token })).json;
    return (
      status.embedding_provider !== null &&
      status.queue_length === 0 &&
      status.chunks_embedded === status.chunks_total
    );
  });
}

beforeAll(async () => {
  embedder = await startEmbeddingServer();
  server = await startTestServer({ env: embeddingEnv(embedder.url) });
  token = await server.token(['wiki:read', 'wiki:write']);
  await put('Cats', '# Cats\n\nThe cat sat on the mat and the cat sleeps in the sun.');
  await put('Bread', '# Bread\n\nMix flour and butter, then bake the bread in a hot oven.');
  await put('Physics', '# Physics\n\nLecture notes on quantum physics: energy of a particle.');
  await drained();
});

afterAll(async () => {
  await server.stop();
  await embedder.close();
  await removeDir(server.dataDir);
});

describe('GET /semantic-search', () => {
  it('answers with otterwiki-semantic-search fields, closest chunk first', async () => {
    const res = await semantic('where does the cat sleep');
    expect(res.status).toBe(200);
    expect(res.json.query).toBe('where does the cat sleep');
    expect(res.json.total).toBe(res.json.results.length);
    expect(res.json.results[0]).toEqual({
      name: 'Cats',
      path: 'Cats',
      text: '[Cats > Cats] The cat sat on the mat and the cat sleeps in the sun.',
      snippet: 'The cat sat on the mat and the cat sleeps in the sun.',
      distance: expect.any(Number),
      section: 'Cats',
      section_path: 'Cats > Cats',
      chunk_index: 0,
      total_chunks: 1,
      page_word_count: 15,
    });
    const distances = res.json.results.map((r: any) => r.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances[0]).toBeGreaterThanOrEqual(0);
    expect(distances[0]).toBeLessThan(distances[1]);
  });

  it('needs q (422) and clamps n and max_chunks_per_page like upstream', async () => {
    const missing = await server.call('GET', api('/semantic-search'), { token });
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({ error: 'Missing required parameter: q' });
    expect((await semantic('bread', '&n=0')).json.total).toBe(1);
    expect((await semantic('bread', '&n=1')).json.total).toBe(1);
    expect((await semantic('bread', '&n=999')).json.total).toBe(3);
    expect((await semantic('bread', '&n=abc')).json.total).toBe(3);
    expect((await semantic('bread', '&n=%202%20')).json.total).toBe(2);
  });

  it('cuts snippets at a word before 150 characters and drops the heading prefix', async () => {
    const sentence = 'Gardens need water and light and patience every single morning of the year. ';
    await put('Garden', `# Garden\n\n${sentence.repeat(4)}`);
    await drained();
    const hit = (await semantic('garden water light')).json.results[0];
    expect(hit.path).toBe('Garden');
    expect(hit.text.startsWith('[Garden > Garden] Gardens need water')).toBe(true);
    expect(hit.snippet.endsWith('...')).toBe(true);
    expect(hit.snippet.length).toBeLessThanOrEqual(153);
    expect(sentence.repeat(4).startsWith(hit.snippet.slice(0, -3))).toBe(true);
  });

  it('keeps at most max_chunks_per_page chunks of one page (default 2, clamped to 1–5)', async () => {
    const section = (i: number) =>
      `## Bird ${i}\n\n${Array.from({ length: 8 }, (_, k) => `The garden bird ${i} sang ${k} songs in the tree.`).join(' ')}`;
    await put('Birds', `# Birds\n\n${Array.from({ length: 7 }, (_, i) => section(i)).join('\n\n')}`);
    await drained();
    const count = async (params: string) =>
      paths(await semantic('garden bird sang in the tree', `&n=50${params}`)).filter((p) => p === 'Birds')
        .length;
    expect(await count('')).toBe(2);
    expect(await count('&max_chunks_per_page=1')).toBe(1);
    expect(await count('&max_chunks_per_page=4')).toBe(4);
    expect(await count('&max_chunks_per_page=0')).toBe(1);
    expect(await count('&max_chunks_per_page=99')).toBe(5);
    const birds = (await semantic('garden bird sang', '&n=50&max_chunks_per_page=5')).json.results.filter(
      (r: any) => r.path === 'Birds',
    );
    expect(new Set(birds.map((r: any) => r.chunk_index)).size).toBe(5);
    expect(birds.every((r: any) => r.total_chunks === 7)).toBe(true);
  });
});

describe('freshness', () => {
  it('finds a page written through REST once the queue drains', async () => {
    await put('Recipes/Pancakes', '# Pancakes\n\nWhisk eggs, milk and flour; fry the pancakes in butter.');
    await drained();
    expect(paths(await semantic('fry pancakes in butter'))[0]).toBe('Recipes/Pancakes');
  });

  it('forgets a deleted page at once', async () => {
    await put('Ephemeral', '# Ephemeral\n\nA zeppelin hovered over the hangar.');
    await drained();
    expect(paths(await semantic('zeppelin hangar'))[0]).toBe('Ephemeral');
    expect((await server.call('DELETE', pageUrl('Ephemeral'), { token })).status).toBe(200);
    expect(paths(await semantic('zeppelin hangar'))).not.toContain('Ephemeral');
  });

  it('moves a renamed page to its new path', async () => {
    await put('Old Name', '# Lighthouse\n\nThe lighthouse keeper polishes the lamp.');
    await drained();
    const renamed = await server.call('POST', `${pageUrl('Old Name')}/rename`, {
      token,
      body: { new_path: 'Coast/Lighthouse' },
    });
    expect(renamed.status).toBe(200);
    await drained();
    const found = paths(await semantic('lighthouse keeper lamp'));
    expect(found[0]).toBe('Coast/Lighthouse');
    expect(found).not.toContain('Old Name');
  });

  it('replaces the chunks of an edited page', async () => {
    const first = await put('Weather', '# Weather\n\nRain falls on the hills all winter.');
    await drained();
    const read = await server.call('GET', pageUrl('Weather'), { token });
    await server.call('PUT', pageUrl('Weather'), {
      token,
      body: { content: '# Weather\n\nSnow covers the mountains in spring.', revision: read.json.revision },
    });
    expect(first.status).toBe(201);
    await drained();
    const hit = (await semantic('snow mountains spring')).json.results[0];
    expect(hit).toMatchObject({
      path: 'Weather',
      text: '[Weather > Weather] Snow covers the mountains in spring.',
    });
    const rain = (await semantic('rain falls on the hills', '&n=50')).json.results;
    expect(rain.filter((r: any) => r.path === 'Weather').map((r: any) => r.text)).not.toContain(
      '[Weather > Weather] Rain falls on the hills all winter.',
    );
  });

  it('finds a page pushed straight into the repository', async () => {
    const work = await mkdtemp(join(tmpdir(), 'wikibot-push-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: work,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'P',
          GIT_AUTHOR_EMAIL: 'p@x',
          GIT_COMMITTER_NAME: 'P',
          GIT_COMMITTER_EMAIL: 'p@x',
        },
      });
    try {
      git('clone', '--quiet', join(server.dataDir, 'wikis/main/repo.git'), '.');
      await writeFile(join(work, 'Volcano.md'), '# Volcano\n\nLava flows from the erupting volcano crater.');
      git('add', '-A');
      git('commit', '--quiet', '-m', 'Pushed');
      git('push', '--quiet', 'origin', 'HEAD:main');
    } finally {
      await removeDir(work);
    }
    await drained();
    expect(paths(await semantic('erupting volcano lava'))[0]).toBe('Volcano');
  });
});

describe('GET /search modes', () => {
  beforeAll(async () => {
    await put('Hangar Both', '# Airship Care\n\nAirship hangar cleaning schedule for the crew.');
    await put('Hangar Vector', '# Crew Duties\n\nCleaning the hangar floor every week, hangar doors too.');
    await drained();
  });

  const search = async (query: string, mode?: string) =>
    server.call('GET', api(`/search?q=${encodeURIComponent(query)}${mode ? `&mode=${mode}` : ''}`), {
      token,
    });

  it('full text finds only pages with every word; hybrid also lifts what only vectors find', async () => {
    const fulltext = paths(await search('airship hangar cleaning', 'fulltext'));
    expect(fulltext).toEqual(['Hangar Both']);
    const hybrid = await search('airship hangar cleaning', 'hybrid');
    expect(hybrid.status).toBe(200);
    expect(paths(hybrid).slice(0, 2)).toEqual(['Hangar Both', 'Hangar Vector']);
    expect(hybrid.json.results[0].score).toBeGreaterThan(hybrid.json.results[1].score);
    // Every page found counts, by words or by meaning; a page found by meaning shows its words too.
    expect(hybrid.json.total).toBe(hybrid.json.results.length);
    expect(hybrid.json.results[1].snippet).toBe(
      'Crew Duties **Cleaning** the **hangar** floor every week, **hangar** doors too.',
    );
    // Default mode is hybrid once a model is ready.
    expect(paths(await search('airship hangar cleaning')).slice(0, 2)).toEqual([
      'Hangar Both',
      'Hangar Vector',
    ]);
    const semanticOnly = paths(await search('airship hangar cleaning', 'semantic'));
    expect(semanticOnly.slice(0, 2).sort()).toEqual(['Hangar Both', 'Hangar Vector']);
  });

  it('lifts a page only full text finds above pages vectors rank higher', async () => {
    // Only the inventory has both words, buried in many others: BM25's only hit, far down for vectors.
    await put(
      'Kitchen Inventory',
      `# Inventory\n\n${'Shelves, jars, cups, plates, spoons. '.repeat(30)} Oven timer.`,
    );
    await put('Egg Timer', '# Egg Timer\n\nThe egg timer rings; set the timer again.');
    await put('Oven Light', '# Oven Light\n\nThe oven light stays on.');
    await drained();
    const vectorsAlone = paths(await search('oven timer', 'semantic'));
    expect(vectorsAlone.indexOf('Kitchen Inventory')).toBeGreaterThan(1);
    expect(paths(await search('oven timer', 'fulltext'))).toEqual(['Kitchen Inventory']);
    expect(paths(await search('oven timer'))[0]).toBe('Kitchen Inventory');
  });

  it('answers hybrid with full text alone when the query cannot be embedded in time', async () => {
    embedder.hold();
    try {
      const res = await search('airship hangar cleaning', 'hybrid');
      expect(res.status).toBe(200);
      expect(res.json).toEqual((await search('airship hangar cleaning', 'fulltext')).json);
    } finally {
      embedder.release();
    }
  });

  it('documents the modes and the semantic endpoint in /openapi.json', async () => {
    const doc = (await server.call('GET', api('/openapi.json'), { token })).json;
    const semanticDoc = doc.paths['/semantic-search'].get;
    expect(semanticDoc.parameters.map((p: any) => p.name).sort()).toEqual(['max_chunks_per_page', 'n', 'q']);
    expect(Object.keys(semanticDoc.responses)).toContain('503');
    const mode = doc.paths['/search'].get.parameters.find((p: any) => p.name === 'mode');
    expect(mode.schema.enum).toEqual(['hybrid', 'fulltext', 'semantic']);
  });

  it('refuses an unknown mode', async () => {
    const res = await search('cat', 'fuzzy');
    expect(res.status).toBe(422);
    expect(res.json.error).toMatch(/mode must be 'hybrid', 'fulltext' or 'semantic'/);
  });
});

describe('GET /reindex/status', () => {
  it('reports the queue, its lag and the provider', async () => {
    await drained();
    const status = (await server.call('GET', api('/reindex/status'), { token })).json;
    expect(status).toMatchObject({
      status: 'idle',
      queue_length: 0,
      queue_lag_seconds: 0,
      embedding_provider: 'openai:bag-of-words:512',
      embedding_unavailable: null,
    });
    expect(status.chunks_total).toBeGreaterThan(0);
    expect(status.chunks_embedded).toBe(status.chunks_total);
  });

  it('keeps vectors across POST /reindex: unchanged chunks are not embedded again', async () => {
    const before = embedder.embedded.length;
    const started = await server.call('POST', api('/reindex'), { token });
    expect(started.status).toBe(202);
    await waitFor('the rebuild', async () => {
      const s = (await server.call('GET', api('/reindex/status'), { token })).json;
      return s.status === 'complete' && s.queue_length === 0;
    });
    expect(embedder.embedded.length).toBe(before);
    expect(paths(await semantic('where does the cat sleep'))[0]).toBe('Cats');
  });
});
