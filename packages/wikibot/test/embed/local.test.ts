import { mkdtemp, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbeddingProvider,
  type EmbeddingProvider,
  type LocalEmbeddingConfig,
} from '../../src/embed/provider.js';
import { startHub, type TestHub } from './hub.js';
import { refusingUrl } from './test-server.js';
import { findPythonWithOnnx, makeTinyModel, TINY_MODEL_DIMENSIONS } from './tiny-model.js';
import { dot, norm } from './vector-math.js';

async function ready(config: LocalEmbeddingConfig): Promise<EmbeddingProvider> {
  const result = await createEmbeddingProvider(config);
  if (result.provider === null) throw new Error(`expected a provider, got: ${result.reason}`);
  return result.provider;
}

async function reasonFor(config: LocalEmbeddingConfig): Promise<string> {
  const result = await createEmbeddingProvider(config);
  if (result.provider !== null) throw new Error(`expected no provider, got ${result.provider.id}`);
  return result.reason;
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

describe('local provider without a usable model', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'wikibot-embed-none-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('names the missing model directory', { timeout: 15_000 }, async () => {
    const modelDir = path.join(tmp, 'no-such-model');
    const reason = await reasonFor({ provider: 'local', modelDir, cacheDir: path.join(tmp, 'cache') });
    expect(reason).toContain(modelDir);
    expect(reason).toMatch(/does not exist/);
  });

  it('names the cache directory it looked in when downloading is off', { timeout: 15_000 }, async () => {
    const cacheDir = path.join(tmp, 'cache');
    const reason = await reasonFor({ provider: 'local', cacheDir });
    expect(reason).toContain(path.join(cacheDir, 'Xenova', 'all-MiniLM-L6-v2'));
    expect(reason).toMatch(/downloading is off \(embedding\.allow_download = false\)/);
  });

  it('reports an unreachable hub instead of hanging when downloading is on', {
    timeout: 15_000,
  }, async () => {
    const hubUrl = await refusingUrl();
    const reason = await reasonFor({
      provider: 'local',
      cacheDir: path.join(tmp, 'cache'),
      allowDownload: true,
      hubUrl,
    });
    expect(reason).toMatch(/model hub .* is not reachable/);
    expect(reason).toContain(hubUrl);
  });

  it('refuses model ids that would escape the model cache', async () => {
    const reason = await reasonFor({
      provider: 'local',
      model: '../../etc',
      cacheDir: path.join(tmp, 'cache'),
    });
    expect(reason).toMatch(/bad embedding config: local model must be a hub id/);
  });
});

const python = await findPythonWithOnnx();
const SKIP_NOTE =
  'SKIPPED: python3-onnx is not installed (apt-get install -y python3-onnx); it generates the test model';
if (!python) console.warn(`local embedding provider tests ${SKIP_NOTE}`);

describe.skipIf(!python)(
  `local provider on a generated tiny BERT model${python ? '' : ` — ${SKIP_NOTE}`}`,
  () => {
    let tmp: string;
    let modelDir: string;
    let provider: EmbeddingProvider;

    beforeAll(async () => {
      tmp = await mkdtemp(path.join(os.tmpdir(), 'wikibot-embed-local-'));
      modelDir = path.join(tmp, 'tiny-bert');
      await makeTinyModel(python as string, modelDir);
      provider = await ready({
        provider: 'local',
        model: 'tiny/bert',
        modelDir,
        cacheDir: path.join(tmp, 'cache'),
      });
    });
    afterAll(async () => {
      await provider?.close?.();
      await rm(tmp, { recursive: true, force: true });
    });

    it('reports the model and its dimensions', () => {
      expect(provider.dimensions).toBe(TINY_MODEL_DIMENSIONS);
      expect(provider.id).toBe(`local:tiny/bert:${TINY_MODEL_DIMENSIONS}`);
    });

    it('returns one unit vector per text, in order', async () => {
      const texts = ['The cat sat on the mat.', 'Git commit and merge', 'quantum physics lecture notes'];
      const vectors = await provider.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      for (const vector of vectors) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBe(TINY_MODEL_DIMENSIONS);
        expect(norm(vector)).toBeCloseTo(1, 5);
      }
      const [alone] = await provider.embed(['Git commit and merge']);
      expect(dot(alone as Float32Array, vectors[1] as Float32Array)).toBeCloseTo(1, 5);
    });

    it('is deterministic', async () => {
      const [first] = await provider.embed(['the bird sang in the garden this morning']);
      const [second] = await provider.embed(['the bird sang in the garden this morning']);
      expect(Array.from(second as Float32Array)).toEqual(Array.from(first as Float32Array));
    });

    it('scores texts that share words above unrelated ones', async () => {
      const [query, similar, unrelated] = await provider.embed([
        'the cat sat on the mat',
        'a cat sits on the rug',
        'bake bread with flour and butter',
      ]);
      const q = query as Float32Array;
      expect(dot(q, similar as Float32Array)).toBeGreaterThan(dot(q, unrelated as Float32Array) + 0.2);
    });

    it('gives the same vectors whatever the batch size (padding does not leak into the mean)', async () => {
      const texts = [
        'cat',
        'the dog sat in the house',
        'semantic search over wiki pages',
        'tree',
        'git branch',
      ];
      const batched = await ready({
        provider: 'local',
        model: 'tiny/bert',
        modelDir,
        cacheDir: tmp,
        batchSize: 2,
      });
      try {
        const inTwos = await batched.embed(texts);
        const oneBatch = await provider.embed(texts);
        expect(inTwos).toHaveLength(texts.length);
        inTwos.forEach((vector, i) => {
          expect(dot(vector, oneBatch[i] as Float32Array)).toBeCloseTo(1, 5);
        });
      } finally {
        await batched.close?.();
      }
    });

    it('stops before the next batch when the caller aborts', async () => {
      const controller = new AbortController();
      controller.abort(new Error('indexing cancelled'));
      await expect(provider.embed(['cat'], controller.signal)).rejects.toThrow('indexing cancelled');
    });

    it('loads a directory that only has onnx/model_quantized.onnx', async () => {
      const quantizedDir = path.join(tmp, 'quantized-only');
      await makeTinyModel(python as string, quantizedDir, 'model_quantized.onnx');
      const quantized = await ready({
        provider: 'local',
        model: 'tiny/bert',
        modelDir: quantizedDir,
        cacheDir: tmp,
      });
      try {
        expect(quantized.dimensions).toBe(TINY_MODEL_DIMENSIONS);
      } finally {
        await quantized.close?.();
      }
    });

    it('names the file a model directory lacks', async () => {
      const incompleteDir = path.join(tmp, 'incomplete');
      await makeTinyModel(python as string, incompleteDir);
      await unlink(path.join(incompleteDir, 'tokenizer.json'));
      const reason = await reasonFor({
        provider: 'local',
        model: 'tiny/bert',
        modelDir: incompleteDir,
        cacheDir: tmp,
      });
      expect(reason).toContain(`${incompleteDir} has no tokenizer.json`);
    });

    it('refuses to embed after close', async () => {
      const closing = await ready({ provider: 'local', model: 'tiny/bert', modelDir, cacheDir: tmp });
      await closing.close?.();
      await expect(closing.embed(['cat'])).rejects.toThrow(/is closed/);
    });

    describe('download into the model cache', () => {
      let hub: TestHub;

      beforeAll(async () => {
        hub = await startHub('tiny/bert', modelDir);
      });
      afterAll(async () => {
        await hub?.close();
      });

      it('fetches a missing model from the hub when allowed, then loads it from the cache offline', async () => {
        const cacheDir = path.join(tmp, 'model-cache');
        const downloaded = await ready({
          provider: 'local',
          model: 'tiny/bert',
          cacheDir,
          allowDownload: true,
          hubUrl: hub.url,
        });
        const text = 'wiki pages and semantic search';
        const [fromHub] = await downloaded.embed([text]);
        await downloaded.close?.();
        expect(hub.requested).toContain('GET /tiny/bert/resolve/main/onnx/model.onnx');
        for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
          expect(await exists(path.join(cacheDir, 'tiny', 'bert', file))).toBe(true);
        }

        await hub.close();
        const cached = await ready({ provider: 'local', model: 'tiny/bert', cacheDir, allowDownload: false });
        try {
          const [fromCache] = await cached.embed([text]);
          const [fromModelDir] = await provider.embed([text]);
          expect(dot(fromCache as Float32Array, fromHub as Float32Array)).toBeCloseTo(1, 5);
          expect(dot(fromCache as Float32Array, fromModelDir as Float32Array)).toBeCloseTo(1, 5);
        } finally {
          await cached.close?.();
        }
      });
    });
  },
);
