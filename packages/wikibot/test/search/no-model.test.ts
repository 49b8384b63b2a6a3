import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusingUrl } from '../embed/test-server.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { pageUrl, waitFor } from './support.js';

/** The tests' configuration: the local provider, with no model in <data>/models and downloading off. */
let server: TestServer;
let token: string;
const api = (path: string) => `/w/main/api/v1${path}`;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token(['wiki:read', 'wiki:write']);
  for (const [path, content] of [
    ['Cats', '# Cats\n\nThe cat sat on the mat.'],
    ['Dogs', '# Dogs\n\nThe dog sat on the rug; the cat watched.'],
  ]) {
    await server.call('PUT', pageUrl(path as string), { token, body: { content } });
  }
  await waitFor('the provider to give up', async () => {
    const status = (await server.call('GET', api('/reindex/status'), { token })).json;
    return !/still loading/.test(status.embedding_unavailable) && status;
  });
});

afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('without a usable embedding model', () => {
  it('answers semantic search with 503 and the reason', async () => {
    const res = await server.call('GET', api('/semantic-search?q=cat'), { token });
    expect(res.status).toBe(503);
    expect(res.json.error).toBe(
      'Semantic search unavailable: embedding model "Xenova/all-MiniLM-L6-v2" is not in the model cache (directory [server path] does not exist) and downloading is off (embedding.allow_download = false)',
    );
    const semanticMode = await server.call('GET', api('/search?q=cat&mode=semantic'), { token });
    expect(semanticMode.status).toBe(503);
    expect(semanticMode.json.error).toBe(res.json.error);
  });

  it('falls back to full text for hybrid and default searches', async () => {
    const fulltext = await server.call('GET', api('/search?q=cat&mode=fulltext'), { token });
    expect(fulltext.json.results.map((r: any) => r.path).sort()).toEqual(['Cats', 'Dogs']);
    for (const query of ['/search?q=cat', '/search?q=cat&mode=hybrid']) {
      const res = await server.call('GET', api(query), { token });
      expect(res.status).toBe(200);
      expect(res.json).toEqual(fulltext.json);
    }
  });

  it('stays ready and shows the waiting queue with the reason', async () => {
    expect((await server.call('GET', '/ready')).status).toBe(200);
    const status = (await server.call('GET', api('/reindex/status'), { token })).json;
    expect(status).toMatchObject({
      embedding_provider: null,
      queue_length: 2,
      chunks_total: 2,
      chunks_embedded: 0,
    });
    expect(status.embedding_unavailable).toMatch(/not in the model cache/);
    expect(status.embedding_unavailable).not.toContain(server.dataDir);
    expect(status.queue_lag_seconds).toBeGreaterThanOrEqual(0);
  });
});

describe('with the provider "none"', () => {
  let off: TestServer;
  beforeAll(async () => {
    off = await startTestServer({ env: { WIKIBOT_EMBEDDING_PROVIDER: 'none' } });
  });
  afterAll(async () => {
    await off.stop();
    await removeDir(off.dataDir);
  });

  it('says semantic search is disabled', async () => {
    const reader = await off.token(['wiki:read']);
    const res = await off.call('GET', '/w/main/api/v1/semantic-search?q=anything', { token: reader });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({
      error: 'Semantic search unavailable: semantic search is disabled (embedding provider "none")',
    });
  });
});

describe('with downloading on (the default) and no hub reachable', () => {
  let offline: TestServer;
  let hub: string;
  beforeAll(async () => {
    hub = await refusingUrl();
    offline = await startTestServer({
      env: { WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: 'true', WIKIBOT_EMBEDDING_HUB_URL: hub },
    });
  });
  afterAll(async () => {
    await offline.stop();
    await removeDir(offline.dataDir);
  });

  it('answers 503 naming the unreachable hub, with no server path', async () => {
    const reader = await offline.token(['wiki:read']);
    const status = await waitFor('the download to fail', async () => {
      const res = await offline.call('GET', api('/reindex/status'), { token: reader });
      return !/still loading|not started/.test(res.json.embedding_unavailable) && res.json;
    });
    expect(status.embedding_unavailable).toMatch(
      /^embedding model "Xenova\/all-MiniLM-L6-v2" could not be downloaded: the model hub http:\/\/127\.0\.0\.1:\d+\/ is not reachable: fetch failed/,
    );
    const res = await offline.call('GET', api('/semantic-search?q=cat'), { token: reader });
    expect(res.status).toBe(503);
    expect(res.json.error).toBe(`Semantic search unavailable: ${status.embedding_unavailable}`);
    expect(res.json.error).not.toMatch(/\[server path\]|\/tmp\//);
  });
});
