import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddingServer, embeddingEnv, startEmbeddingServer, waitFor } from '../search/support.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { call, connect, ERAS } from './support.js';

let embedder: EmbeddingServer;
let server: TestServer;
let writer: string;

beforeAll(async () => {
  embedder = await startEmbeddingServer();
  server = await startTestServer({ env: embeddingEnv(embedder.url) });
  writer = await server.token(['wiki:read', 'wiki:write']);
  const seed = await connect(server, 'modern', writer);
  await call(seed, 'write_note', {
    path: 'Cats',
    content: '# Cats\n\nThe cat sat on the mat and the cat sleeps in the sun.',
  });
  await call(seed, 'write_note', {
    path: 'Bread',
    content: '# Bread\n\nMix flour and butter, then bake the bread in a hot oven.',
  });
  await call(seed, 'write_note', {
    path: 'Physics',
    content: '# Physics\n\nLecture notes on quantum physics: energy of a particle.',
  });
  await seed.close();
  await waitFor('every chunk to have a vector', async () => {
    const status = (await server.call('GET', '/w/main/api/v1/reindex/status', { token: writer })).json;
    return (
      status.embedding_provider !== null &&
      status.queue_length === 0 &&
      status.chunks_embedded === status.chunks_total
    );
  });
});
afterAll(async () => {
  await server.stop();
  await embedder.close();
  await removeDir(server.dataDir);
});

describe.each(ERAS)(
  'semantic_search over the %s era, with a mock OpenAI-compatible embedding server',
  (era) => {
    let client: Client;
    beforeAll(async () => {
      client = await connect(server, era, writer);
    });
    afterAll(async () => {
      await client.close();
    });

    it('answers the closest chunks in its format, clamping n to 1..50', async () => {
      const { text, structured } = await call(client, 'semantic_search', {
        query: 'where does the cat sleep',
        n: 1,
      });
      expect(text).toMatch(
        /^1 results for "where does the cat sleep":\n\n1\. Cats \(distance: \d\.\d{2}\)\n {3}The cat sat on the mat and the cat sleeps in the sun\.$/,
      );
      expect(structured).toMatchObject({
        query: 'where does the cat sleep',
        total: 1,
        results: [
          {
            name: 'Cats',
            path: 'Cats',
            section: 'Cats',
            section_path: 'Cats > Cats',
            chunk_index: 0,
            total_chunks: 1,
          },
        ],
      });
      expect((await call(client, 'semantic_search', { query: 'bread', n: 0 })).structured.total).toBe(1);
      expect((await call(client, 'semantic_search', { query: 'notes', n: 500 })).structured.total).toBe(3);
    });
  },
);
