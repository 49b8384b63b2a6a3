import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { waitFor } from '../search/support.js';
import { createTokenWithCli, runCli, serveProcess } from '../support/cli.js';
import { startHub, type TestHub } from './hub.js';
import { refusingUrl } from './test-server.js';
import { findPythonWithOnnx, makeTinyModel, TINY_MODEL_DIMENSIONS } from './tiny-model.js';

describe('the embedding model out of the box', () => {
  it('is downloaded on first need unless allow_download is turned off', () => {
    expect(loadConfig({ env: {} }).embedding.allow_download).toBe(true);
    expect(loadConfig({ env: { WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: 'false' } }).embedding.allow_download).toBe(
      false,
    );
  });

  it('model pull without a reachable hub fails in one line naming the hub, without a path', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'wikibot-pull-offline-'));
    try {
      const hub = await refusingUrl();
      const error = await runCli(['--data', tmp, 'model', 'pull'], { WIKIBOT_EMBEDDING_HUB_URL: hub }).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(error?.code).toBe(1);
      const lines = (error?.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('oidc-provider'));
      expect(lines).toEqual([
        expect.stringMatching(
          /^error: embedding model "Xenova\/all-MiniLM-L6-v2" could not be downloaded: the model hub http:\/\/127\.0\.0\.1:\d+\/ is not reachable/,
        ),
      ]);
      expect(lines[0]).not.toContain(tmp);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

const python = await findPythonWithOnnx();
const SKIP_NOTE =
  'SKIPPED: python3-onnx is not installed (apt-get install -y python3-onnx); it generates the test model';
if (!python) console.warn(`embedding model download tests ${SKIP_NOTE}`);

describe.skipIf(!python)(`downloading from a hub${python ? '' : ` — ${SKIP_NOTE}`}`, () => {
  let tmp: string;
  let hub: TestHub;
  let hubFiles: string;
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
  const exists = async (file: string) => (await stat(file).catch(() => undefined))?.isFile() ?? false;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'wikibot-download-'));
    hubFiles = path.join(tmp, 'hub-files');
    await makeTinyModel(python as string, hubFiles);
    hub = await startHub('tiny/bert', hubFiles);
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const hubEnv = () => ({ WIKIBOT_EMBEDDING_MODEL: 'tiny/bert', WIKIBOT_EMBEDDING_HUB_URL: hub.url });

  it('wikibot model pull fetches the model into the cache ahead of use, then finds it there', async () => {
    const dataDir = path.join(tmp, 'pulled');
    const { stdout } = await runCli(['--data', dataDir, 'model', 'pull'], hubEnv());
    expect(stdout).toBe(`embedding model tiny/bert is ready (${TINY_MODEL_DIMENSIONS} dimensions)\n`);
    expect(hub.requested).toContain('GET /tiny/bert/resolve/main/onnx/model.onnx');
    for (const file of files)
      expect(await exists(path.join(dataDir, 'models', 'tiny', 'bert', file))).toBe(true);

    const fetched = hub.requested.length;
    const again = await runCli(['--data', dataDir, 'model', 'pull'], hubEnv());
    expect(again.stdout).toBe(stdout);
    expect(hub.requested.length).toBe(fetched);
  });

  it('model pull writes every file whole even when garbage is collected between fetches', async () => {
    const dataDir = path.join(tmp, 'collected');
    const preload = fileURLToPath(new URL('../fixtures/collect-garbage-after-fetch.cjs', import.meta.url));
    const { stdout, stderr } = await runCli(['--data', dataDir, 'model', 'pull'], {
      ...hubEnv(),
      NODE_OPTIONS: `--expose-gc --require ${preload}`,
    });
    expect(stderr).toContain('garbage collected after every fetch');
    expect(stdout).toBe(`embedding model tiny/bert is ready (${TINY_MODEL_DIMENSIONS} dimensions)\n`);
    for (const file of files) {
      const fetched = await readFile(path.join(dataDir, 'models', 'tiny', 'bert', file));
      expect(fetched.equals(await readFile(path.join(hubFiles, file))), file).toBe(true);
    }
  });

  it('serve downloads the model on first need, logging progress, and semantic search works', async () => {
    const dataDir = path.join(tmp, 'served');
    const server = await serveProcess(['--data', dataDir, '--port', '0'], {
      ...hubEnv(),
      WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: 'true',
    });
    try {
      const progress = JSON.parse(
        await server.waitForLine((l) => l.includes('"event":"embedding_download"')),
      );
      expect(progress.msg).toMatch(
        /^downloading the embedding model into the model cache \(once\): [\d.]+ of [\d.]+ MB$/,
      );
      await server.waitForLine((l) => l.includes('"event":"embedding_ready"'));
      const token = await createTokenWithCli(dataDir, 'wiki:read');
      const api = `${server.url}/w/main/api/v1`;
      const headers = { authorization: `Bearer ${token}` };
      await waitFor('the template pages to be embedded', async () => {
        const status = await (await fetch(`${api}/reindex/status`, { headers })).json();
        return status.queue_length === 0 && status.chunks_embedded === status.chunks_total;
      });
      const res = await fetch(`${api}/semantic-search?q=${encodeURIComponent('page template')}`, { headers });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.results.length).toBeGreaterThan(0);
      for (const file of files)
        expect(await exists(path.join(dataDir, 'models', 'tiny', 'bert', file))).toBe(true);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
