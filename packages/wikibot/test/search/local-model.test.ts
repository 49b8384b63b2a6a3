import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPythonWithOnnx, makeTinyModel, TINY_MODEL_DIMENSIONS } from '../embed/tiny-model.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { pageUrl, waitFor } from './support.js';

const python = await findPythonWithOnnx();
const SKIP_NOTE =
  'SKIPPED: python3-onnx is not installed (apt-get install -y python3-onnx); it generates the model';
if (!python) console.warn(`semantic search with the local provider ${SKIP_NOTE}`);

describe.skipIf(!python)(`semantic search with the local provider${python ? '' : ` — ${SKIP_NOTE}`}`, () => {
  let modelRoot: string;
  let server: TestServer;
  let token: string;
  const api = (path: string) => `/w/main/api/v1${path}`;

  beforeAll(async () => {
    modelRoot = await mkdtemp(join(tmpdir(), 'wikibot-search-model-'));
    await makeTinyModel(python as string, join(modelRoot, 'tiny'));
    server = await startTestServer({
      env: { WIKIBOT_EMBEDDING_PROVIDER: 'local', WIKIBOT_EMBEDDING_MODEL_DIR: join(modelRoot, 'tiny') },
    });
    token = await server.token(['wiki:read', 'wiki:write']);
    const pages = {
      Pets: 'The cat sat on the mat; the dog sat on the rug.',
      Baking: 'Bake the bread: flour, butter and sugar in the oven.',
      Lectures: 'Quantum physics lecture notes: energy of a particle.',
      Versioning: 'Git: commit to a branch, then merge into the repository.',
    };
    for (const [path, content] of Object.entries(pages)) {
      await server.call('PUT', pageUrl(path), { token, body: { content } });
    }
    await waitFor('the local model to embed every chunk', async () => {
      const s = (await server.call('GET', api('/reindex/status'), { token })).json;
      return s.embedding_provider !== null && s.queue_length === 0 && s;
    });
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(server?.dataDir ?? '');
    await removeDir(modelRoot);
  });

  it('embeds through transformers.js and reports the model', async () => {
    const status = (await server.call('GET', api('/reindex/status'), { token })).json;
    expect(status.embedding_provider).toBe(`local:Xenova/all-MiniLM-L6-v2:${TINY_MODEL_DIMENSIONS}`);
    expect(status.chunks_embedded).toBe(4);
  });

  it.each([
    ['cat dog mat', 'Pets'],
    ['flour oven', 'Baking'],
    ['particle energy', 'Lectures'],
    ['merge branch', 'Versioning'],
  ])('finds "%s" on %s', async (query, page) => {
    const res = await server.call('GET', api(`/semantic-search?q=${encodeURIComponent(query)}`), { token });
    expect(res.status).toBe(200);
    expect(res.json.results[0].path).toBe(page);
  });
});
