import type { SearchHit, WikiIndex } from '../index/wikiIndex.js';
import { Invalid } from './errors.js';
import type { WikiSemantics } from './semantic.js';

export type SearchMode = 'hybrid' | 'fulltext' | 'semantic';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'fulltext', 'semantic'];

export interface SearchOptions {
  limit?: number;
  /** Default: hybrid when an embedding model is ready, else fulltext. */
  mode?: SearchMode;
}

/** The reciprocal rank fusion constant of Cormack et al., which otherwise needs no tuning. */
export const RRF_K = 60;
/** How deep each ranking is read before fusing (at least the number of results asked for). */
const FUSION_DEPTH = 50;

/**
 * Page search in three modes. Full text is BM25; semantic ranks pages by their closest chunk;
 * hybrid fuses both rankings by reciprocal rank fusion, so a page only one of them finds still
 * appears, and pages both find rise. Without a model hybrid is full text; semantic is Unavailable.
 */
export async function searchPages(
  index: WikiIndex,
  semantics: WikiSemantics,
  query: string,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const q = query.trim();
  if (!q) throw new Invalid("Query parameter 'q' is required");
  const limit = options.limit ?? 50;
  const mode = options.mode ?? (semantics.available ? 'hybrid' : 'fulltext');
  await index.ensureFresh();
  if (mode === 'semantic') return (await semantics.rankPages(q, limit, true)) ?? [];
  if (mode === 'fulltext') return index.search(q, { limit });
  const depth = Math.max(limit, FUSION_DEPTH);
  const fulltext = index.search(q, { limit: depth });
  const vectors = await semantics.rankPages(q, depth, false);
  if (vectors === null) return fulltext.slice(0, limit);
  return reciprocalRankFusion([fulltext, vectors], limit);
}

/**
 * Fuse rankings of pages: each page scores Σ 1/(k + rank) over the rankings it appears in (rank
 * from 1). A page keeps the name and snippet of the first ranking that has it.
 */
export function reciprocalRankFusion(
  rankings: readonly SearchHit[][],
  limit: number,
  k = RRF_K,
): SearchHit[] {
  const fused = new Map<string, SearchHit>();
  for (const ranking of rankings) {
    ranking.forEach((hit, i) => {
      const share = 1 / (k + i + 1);
      const seen = fused.get(hit.path);
      if (seen) seen.score += share;
      else fused.set(hit.path, { ...hit, score: share });
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((hit) => ({ ...hit, score: Math.round(hit.score * 1e6) / 1e6 }));
}
