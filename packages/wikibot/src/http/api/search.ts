import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { searchJson, semanticHitJson } from '../shapes/present.js';
import { queryParams } from './request.js';
import { SearchQuery, SemanticSearchQuery } from './schemas.js';

type C = Context<AppEnv>;

/** GET /search?q&limit&offset&mode: hybrid by default when an embedding model is ready, else full text. */
export async function search(c: C) {
  const q = queryParams(c, SearchQuery);
  const query = (q.q ?? '').trim();
  const answer = await c.get('wiki').search(query, {
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
    ...(q.mode ? { mode: q.mode } : {}),
  });
  return c.json(searchJson(query, answer));
}

/**
 * GET /semantic-search, as otterwiki-semantic-search answers it: `n` and `max_chunks_per_page`
 * that are not integers fall back to their defaults and are clamped to their ranges, not refused.
 */
export async function semanticSearch(c: C) {
  const q = queryParams(c, SemanticSearchQuery);
  const query = q.q ?? '';
  const results = await c.get('wiki').semanticSearch(query, {
    ...optional('n', lenientInt(q.n)),
    ...optional('maxChunksPerPage', lenientInt(q.max_chunks_per_page)),
  });
  return c.json({ query, results: results.map(semanticHitJson), total: results.length });
}

/** GET /reindex/status: the last rebuild, and the embedding queue (length and lag). */
export async function reindexStatus(c: C) {
  const wiki = c.get('wiki');
  const s = wiki.reindexStatus();
  const e = await wiki.semantics.status();
  return c.json({
    status: s.status,
    pages_done: s.pagesDone,
    pages_total: s.pagesTotal,
    started_at: s.startedAt,
    finished_at: s.finishedAt,
    error: s.error,
    queue_length: e.queueLength,
    queue_lag_seconds: Math.round(e.lagSeconds * 1000) / 1000,
    chunks_total: e.chunksTotal,
    chunks_embedded: e.chunksEmbedded,
    embedding_provider: e.provider,
    embedding_unavailable: e.unavailable,
  });
}

/** Python's int() of a query value: surrounding spaces and a sign allowed, anything else undefined. */
function lenientInt(value: string | undefined): number | undefined {
  const text = value?.trim();
  return text && /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
