import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddingConfig, EmbeddingProvider } from '../dist/embed/provider.js';
import { GitRepository } from '../dist/git/repository.js';
import { VectorStore } from '../dist/index/vectorStore.js';
import { WikiIndex } from '../dist/index/wikiIndex.js';
import { EmbeddingRuntime } from '../dist/wiki/embeddingRuntime.js';
import { EmbeddingWorker } from '../dist/wiki/embeddingWorker.js';
import { searchPages } from '../dist/wiki/search.js';
import { DEFAULT_SEARCH_LIMITS } from '../dist/wiki/searchLimits.js';
import { WikiSemantics } from '../dist/wiki/semantic.js';
import { Random, SEARCH_QUERIES } from './corpus.js';
import { generateRepository } from './generate.js';

export interface SemanticBenchOptions {
  record(size: number, what: string, value: string, bar?: string): void;
  /** How latency samples (ms) are summarised, e.g. "p50 / p99". */
  latency(samples: number[]): string;
}

const CHUNKS = 50_000;
const DIMENSIONS = 384;
const QUERIES = 300;
const PAGES = Number(process.env.BENCH_SEMANTIC_PAGES ?? 10_000);
const TINY_MODEL_SCRIPT = fileURLToPath(new URL('../test/fixtures/model/make_tiny_bert.py', import.meta.url));

/**
 * Search benchmarks (docs/BENCHMARKS.md, "Search"): the vector structure alone over 50k chunks of
 * 384 dimensions (the number the structure was chosen by), then a generated wiki searched in
 * process: full text, semantic and hybrid latency with query embedding excluded, the index build
 * with chunking, the cold load of the vectors, and the embedding queue's throughput with the tiny
 * test model.
 */
export async function benchSemantic(options: SemanticBenchOptions): Promise<void> {
  benchVectorStore(options);
  await benchWiki(options);
}

function benchVectorStore({ record, latency }: SemanticBenchOptions): void {
  const random = new Random(7);
  const store = new VectorStore(DIMENSIONS, CHUNKS);
  const vectors: Float32Array[] = [];
  for (let id = 0; id < CHUNKS; id++) {
    const vector = unitVector(() => random.next() - 0.5);
    vectors.push(vector);
    store.set(id, Math.floor(id / 5), vector);
  }
  const query = () => unitVector(() => random.next() - 0.5);
  for (let i = 0; i < 20; i++) store.search(query(), 10, 2);
  const what = `${CHUNKS / 1000}k chunks × ${DIMENSIONS} dims, brute force`;
  const semantic = timeEach(QUERIES, () => store.search(query(), 5, 2));
  record(CHUNKS, `semantic query (${what}, n=5), p50 / p99`, latency(semantic), 'p50 ≤ 20 ms');
  const hybrid = timeEach(QUERIES, () => store.search(query(), 50, 1));
  record(CHUNKS, `hybrid's vector ranking (${what}, 50 pages), p50 / p99`, latency(hybrid));

  // Recall@10 against an exact sort of every score: 1.0 unless the structure approximates.
  let hits = 0;
  const trials = 20;
  for (let t = 0; t < trials; t++) {
    const q = query();
    const exact = vectors
      .map((v, id) => ({ id, score: dot(v, q) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10)
      .map((r) => r.id);
    const found = new Set(store.search(q, 10).map((m) => m.id));
    hits += exact.filter((id) => found.has(id)).length;
  }
  record(CHUNKS, 'recall@10 against exact search', (hits / (trials * 10)).toFixed(3), 'exact (1.000)');
}

async function benchWiki({ record, latency }: SemanticBenchOptions): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'wikibot-bench-search-'));
  const repo = await (async () => {
    await generateRepository(join(root, 'repo.git'), PAGES);
    return GitRepository.open(join(root, 'repo.git'));
  })();
  const index = WikiIndex.open(join(root, 'index.sqlite'), repo);
  try {
    const build = performance.now();
    await index.sync();
    const chunks = index.semantic.counts(null).chunks;
    record(
      PAGES,
      `index build incl. chunking (${chunks} chunks queued)`,
      `${(performance.now() - build).toFixed(0)} ms`,
    );

    // Vectors of 384 dimensions from a stand-in provider, so that latency excludes embedding.
    const runtime = new EmbeddingRuntime(
      { provider: 'none' },
      undefined,
      60_000,
      async (_config: EmbeddingConfig) => ({ provider: syntheticProvider() }),
    );
    await drain(index, runtime);
    const semantics = new WikiSemantics(index, runtime, 'bench');
    const words = SEARCH_QUERIES;
    const q = (i: number) => words[i % words.length] as string;
    const cold = performance.now();
    await semantics.search('cold start', { n: 5 });
    record(
      PAGES,
      `first semantic query: loads ${chunks} vectors from SQLite`,
      `${(performance.now() - cold).toFixed(0)} ms`,
    );
    const context = { limits: DEFAULT_SEARCH_LIMITS, linkStyle: 'title-page' as const };
    for (let i = 0; i < 50; i++) await searchPages(index, semantics, q(i), { mode: 'hybrid' }, context);
    const fulltext = await timeEachAsync(QUERIES, (i) =>
      searchPages(index, semantics, q(i), { mode: 'fulltext' }, context),
    );
    record(PAGES, 'full-text search in process, p50 / p99', latency(fulltext), 'p50 ≤ 10 ms');
    const semantic = await timeEachAsync(QUERIES, (i) =>
      semantics.search(q(i), { n: 5, maxChunksPerPage: 2 }),
    );
    record(
      PAGES,
      `semantic search in process (${chunks} chunks × ${DIMENSIONS}), p50 / p99`,
      latency(semantic),
      'p50 ≤ 20 ms',
    );
    const hybrid = await timeEachAsync(QUERIES, (i) =>
      searchPages(index, semantics, q(i), { mode: 'hybrid' }, context),
    );
    record(PAGES, 'hybrid search in process (BM25 + vectors + RRF), p50 / p99', latency(hybrid));
    await semantics.close();
    await runtime.close();

    // Last, so that loading ONNX Runtime cannot disturb the latencies above.
    const model = makeTinyModel(root);
    if (model) {
      const runtime = new EmbeddingRuntime({
        provider: 'local',
        modelDir: model,
        cacheDir: join(root, 'cache'),
      });
      const { texts, seconds } = await drain(index, runtime);
      record(
        PAGES,
        `embedding queue throughput, tiny model (64 dims), ${texts} texts`,
        `${Math.round(texts / seconds)} chunks/s`,
      );
      await runtime.close();
    } else {
      record(
        PAGES,
        'embedding queue throughput, tiny model',
        'skipped: python3 with onnx and numpy not found',
      );
    }
  } finally {
    index.close();
    await repo.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Run a worker until the queue is empty: texts embedded and seconds taken (loading the model excluded). */
async function drain(
  index: WikiIndex,
  runtime: EmbeddingRuntime,
): Promise<{ texts: number; seconds: number }> {
  const { provider } = await runtime.ready();
  if (!provider) throw new Error('no embedding provider');
  index.semantic.queue.adoptProvider(provider.id);
  const texts = index.semantic.queue.status().length;
  const worker = new EmbeddingWorker(index, runtime, 'bench', { batchSize: 64, pollMs: 20 });
  const start = performance.now();
  worker.start();
  while (index.semantic.queue.status().length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - start) / 1000;
  await worker.stop();
  return { texts, seconds };
}

/** Unit vectors derived from each text's hash: stable, and as costly to search as real ones. */
function syntheticProvider(): EmbeddingProvider {
  return {
    id: `synthetic:${DIMENSIONS}`,
    dimensions: DIMENSIONS,
    async embed(texts: string[]) {
      return texts.map((text) => {
        const random = new Random(createHash('sha1').update(text).digest().readInt32LE(0));
        return unitVector(() => random.next() - 0.5);
      });
    },
  };
}

/** The tiny BERT model of the test suite, generated with python3-onnx; null when that is missing. */
function makeTinyModel(root: string): string | null {
  const dir = join(root, 'tiny-model');
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, [TINY_MODEL_SCRIPT, dir], { stdio: 'ignore' });
      return dir;
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

function unitVector(next: () => number): Float32Array {
  const v = Float32Array.from({ length: DIMENSIONS }, next);
  const scale = 1 / Math.hypot(...v);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
  return v;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function timeEach(count: number, task: () => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    task();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function timeEachAsync(count: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await task(i);
    samples.push(performance.now() - start);
  }
  return samples;
}
