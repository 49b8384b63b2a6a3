import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { PASSWORD, Visitor } from '../web/support.js';
import { type EmbeddingServer, embeddingEnv, startEmbeddingServer, waitFor } from './support.js';

/** The web editor's form is one more write path; its pages must become findable like the others. */
let embedder: EmbeddingServer;
let server: TestServer;
let token: string;

beforeAll(async () => {
  embedder = await startEmbeddingServer();
  server = await startTestServer({ env: embeddingEnv(embedder.url) });
  token = await server.token(['wiki:read']);
  const { users, members } = server.services.auth;
  const editor = await users.create({ username: 'eddie', password: PASSWORD });
  await members.grant('main', editor.id, 'editor');
});

afterAll(async () => {
  await server.stop();
  await embedder.close();
  await removeDir(server.dataDir);
});

describe('a page saved in the web editor', () => {
  it('becomes findable by semantic search once the queue drains', async () => {
    const eddie = new Visitor(server.url);
    await eddie.login('eddie');
    const saved = await eddie.post('/w/main/-/edit/Orchard', {
      content: '# Orchard\n\nApple trees blossom in the orchard every spring.',
      revision: '',
      action: 'save',
    });
    expect(saved.status).toBe(303);
    await waitFor('the page to be embedded and found', async () => {
      const res = await server.call('GET', '/w/main/api/v1/semantic-search?q=apple%20blossom%20orchard', {
        token,
      });
      return res.status === 200 && res.json.results[0]?.path === 'Orchard';
    });
  });
});
