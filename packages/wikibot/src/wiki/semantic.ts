import { errorMessage } from '../embed/checks.js';
import type { EmbeddingProvider } from '../embed/provider.js';
import type { ChunkDetails } from '../index/semanticStore.js';
import type { VectorMirror } from '../index/vectorMirror.js';
import type { ProgressFn, RankedPage, WikiIndex } from '../index/wikiIndex.js';
import type { EmbeddingRuntime } from './embeddingRuntime.js';
import { EmbeddingWorker } from './embeddingWorker.js';
import { Invalid, Unavailable } from './errors.js';

/** One chunk found by meaning (otterwiki-semantic-search's result, camel-cased). */
export interface SemanticHit {
  name: string;
  path: string;
  /** The chunk as embedded, `[Title > H1] ` prefix included. */
  text: string;
  /** The chunk without its prefix, cut to about 150 characters. */
  snippet: string;
  /** 1 − cosine similarity: lower is closer. */
  distance: number;
  section: string;
  sectionPath: string[];
  chunkIndex: number;
  totalChunks: number;
  pageWordCount: number;
}

export interface EmbeddingStatus {
  /** The provider's id once it is ready. */
  provider: string | null;
  /** Why semantic search is unavailable, when it is. */
  unavailable: string | null;
  /** Distinct chunk texts waiting for a vector. */
  queueLength: number;
  /** Age of the oldest of them, in seconds (0 when none waits). */
  lagSeconds: number;
  chunksTotal: number;
  /** Chunks with a vector from the current provider. */
  chunksEmbedded: number;
}

/** otterwiki-semantic-search's limits: `n` 1–50 (default 5), `max_chunks_per_page` 1–5 (default 2). */
export const SEMANTIC_LIMITS = {
  n: { min: 1, max: 50, default: 5 },
  perPage: { min: 1, max: 5, default: 2 },
};

const SNIPPET_CHARS = 150;
/** How long hybrid search waits for the query's embedding before answering with full text alone. */
const HYBRID_EMBED_TIMEOUT_MS = 2000;
const DRAIN_POLL_MS = 250;

/**
 * Semantic search over one wiki: its background embedding worker, this process's in-memory vectors
 * (refreshed from the index before every query), and the queue's status.
 */
export class WikiSemantics {
  private mirror: VectorMirror | undefined;
  private readonly worker: EmbeddingWorker | undefined;

  constructor(
    private readonly index: WikiIndex,
    private readonly runtime: EmbeddingRuntime | undefined,
    slug: string,
  ) {
    if (runtime) {
      this.worker = new EmbeddingWorker(index, runtime, slug);
      this.worker.start();
    }
  }

  /** Whether a provider is ready now (hybrid search is the default then). */
  get available(): boolean {
    return this.provider() !== null;
  }

  /** Tell the worker there is new work (after a write of this process). */
  notify(): void {
    this.worker?.notify();
  }

  async close(): Promise<void> {
    await this.worker?.stop();
  }

  /** The best chunks for `query`, at most `maxChunksPerPage` of one page; Unavailable without a model. */
  async search(query: string, opts: { n?: number; maxChunksPerPage?: number } = {}): Promise<SemanticHit[]> {
    const provider = this.requireProvider();
    const q = query.trim();
    if (!q) throw new Invalid('Missing required parameter: q');
    const n = clamp(opts.n, SEMANTIC_LIMITS.n);
    const perPage = clamp(opts.maxChunksPerPage, SEMANTIC_LIMITS.perPage);
    const matches = await this.nearest(provider, q, n, perPage);
    const chunks = this.chunksById(matches.map((m) => m.id));
    const hits: SemanticHit[] = [];
    for (const match of matches) {
      const chunk = chunks.get(match.id);
      if (chunk) hits.push(semanticHit(chunk, match.score));
    }
    return hits;
  }

  /**
   * Pages ranked by their closest chunk, its text as excerpt (score = cosine similarity). With
   * `required`, a missing model is an error; otherwise the answer is null (hybrid falls back).
   */
  async rankPages(query: string, limit: number, required: boolean): Promise<RankedPage[] | null> {
    const provider = required ? this.requireProvider() : this.provider();
    if (!provider) return null;
    let matches: Awaited<ReturnType<WikiSemantics['nearest']>>;
    try {
      // Hybrid search must not wait on a slow embedding server: past the timeout it is full text.
      const signal = required ? undefined : AbortSignal.timeout(HYBRID_EMBED_TIMEOUT_MS);
      matches = await this.nearest(provider, query, limit, 1, signal);
    } catch (error) {
      if (required) throw error;
      this.runtime?.logger?.warn(
        { event: 'hybrid_fallback' },
        `hybrid search used full text only: ${errorMessage(error)}`,
      );
      return null;
    }
    const chunks = this.chunksById(matches.map((m) => m.id));
    return matches.flatMap((match) => {
      const chunk = chunks.get(match.id);
      if (!chunk) return [];
      return [
        { path: chunk.pagePath, name: chunk.pageName, excerpt: snippetOf(chunk), score: round(match.score) },
      ];
    });
  }

  async status(): Promise<EmbeddingStatus> {
    await this.index.ensureFresh();
    const current = this.runtime?.current() ?? notConfigured();
    const providerId = current.provider?.id ?? null;
    const queue = this.index.semantic.queue.status();
    const counts = this.index.semantic.counts(providerId);
    return {
      provider: providerId,
      unavailable: current.provider ? null : withoutPaths(current.reason),
      queueLength: queue.length,
      lagSeconds: queue.oldestQueuedAt === null ? 0 : Math.max(0, (Date.now() - queue.oldestQueuedAt) / 1000),
      chunksTotal: counts.chunks,
      chunksEmbedded: counts.embedded,
    };
  }

  /** Wait until the queue is empty, reporting texts done of texts queued; Unavailable without a model. */
  async drain(progress?: ProgressFn, signal?: AbortSignal): Promise<void> {
    const ready = await (this.runtime?.ready() ?? Promise.resolve(notConfigured()));
    if (!ready.provider) throw new Unavailable(`Semantic search unavailable: ${ready.reason}`);
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { queueLength } = await this.status();
      total = Math.max(total, queueLength);
      progress?.(total - queueLength, total);
      if (queueLength === 0) return;
      this.notify();
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  private provider(): EmbeddingProvider | null {
    return this.runtime?.current().provider ?? null;
  }

  private requireProvider(): EmbeddingProvider {
    const current = this.runtime?.current() ?? notConfigured();
    if (!current.provider) {
      throw new Unavailable(`Semantic search unavailable: ${withoutPaths(current.reason)}`);
    }
    return current.provider;
  }

  /** Embed the query and scan this process's vectors, brought up to date first. */
  private async nearest(
    provider: EmbeddingProvider,
    query: string,
    n: number,
    perPage: number,
    signal?: AbortSignal,
  ) {
    await this.index.ensureFresh();
    let vector: Float32Array;
    try {
      [vector] = (await provider.embed([query], signal)) as [Float32Array];
    } catch (error) {
      throw new Unavailable(
        `Semantic search unavailable: embedding the query failed: ${withoutPaths(errorMessage(error))}`,
      );
    }
    if (this.mirror?.providerId !== provider.id) {
      this.mirror = this.index.semantic.mirror(provider.id, provider.dimensions);
    }
    this.mirror.refresh();
    return this.mirror.store.search(vector, n, perPage);
  }

  private chunksById(ids: number[]): Map<number, ChunkDetails> {
    return new Map(this.index.semantic.chunks(ids).map((chunk) => [chunk.id, chunk]));
  }
}

function semanticHit(chunk: ChunkDetails, score: number): SemanticHit {
  return {
    name: chunk.pageName,
    path: chunk.pagePath,
    text: chunk.text,
    snippet: snippetOf(chunk),
    distance: round(1 - score),
    section: chunk.section,
    sectionPath: chunk.sectionPath,
    chunkIndex: chunk.chunkIndex,
    totalChunks: chunk.totalChunks,
    pageWordCount: chunk.pageWordCount,
  };
}

/** Upstream's snippet: the text without its `[section path] ` prefix, cut at a space before 150 characters. */
export function snippetOf(chunk: Pick<ChunkDetails, 'text' | 'sectionPath'>): string {
  const prefix = `[${chunk.sectionPath.join(' > ')}] `;
  const text = chunk.text.startsWith(prefix) ? chunk.text.slice(prefix.length) : chunk.text;
  const chars = Array.from(text);
  if (chars.length <= SNIPPET_CHARS) return text;
  const head = chars.slice(0, SNIPPET_CHARS).join('');
  const space = head.lastIndexOf(' ');
  return `${space < 0 ? head : head.slice(0, space)}...`;
}

/**
 * A reason fit for whoever searched: file system paths (model directories, cache files) replaced,
 * since they describe the server, not the request. The log keeps the full reason.
 */
export function withoutPaths(reason: string): string {
  return reason.replace(/(^|[\s('"`])(?:~?\/|[A-Za-z]:\\)[^\s'"`()]*/g, '$1[server path]');
}

function clamp(value: number | undefined, limits: { min: number; max: number; default: number }): number {
  if (value === undefined || !Number.isFinite(value)) return limits.default;
  return Math.max(limits.min, Math.min(limits.max, Math.trunc(value)));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function notConfigured(): { provider: null; reason: string } {
  return { provider: null, reason: 'no embedding provider is configured' };
}
