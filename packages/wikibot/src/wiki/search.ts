import {
  MIN_PREFIX_CHARS,
  type ParsedQuery,
  parseSearchQuery,
  type SearchTerm,
} from '../domain/searchQuery.js';
import { type SnippetPart, snippetMaker } from '../domain/snippet.js';
import type { WikiLinkStyle } from '../domain/wikilinks.js';
import { toFtsQuery } from '../index/ftsQuery.js';
import type { RankedPage, WikiIndex } from '../index/wikiIndex.js';
import { Invalid } from './errors.js';
import type { SearchLimits } from './searchLimits.js';
import type { WikiSemantics } from './semantic.js';

export type SearchMode = 'hybrid' | 'fulltext' | 'semantic';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'fulltext', 'semantic'];

export interface SearchOptions {
  limit?: number;
  offset?: number;
  /** Default: hybrid when an embedding model is ready, else fulltext. */
  mode?: SearchMode;
}

export interface SearchResult {
  path: string;
  name: string;
  score: number;
  /** Plain text around the first hit, the matched words marked. */
  snippet: SnippetPart[];
}

export interface SearchAnswer {
  results: SearchResult[];
  /** Every page the query matches, not only those in `results`. */
  total: number;
}

/** The reciprocal rank fusion constant of Cormack et al., which otherwise needs no tuning. */
export const RRF_K = 60;
/** How deep each ranking is read before fusing (at least the number of results asked for). */
const FUSION_DEPTH = 50;
const DEFAULT_LIMIT = 50;

/**
 * Page search in three modes. Full text is BM25; semantic ranks pages by their closest chunk;
 * hybrid fuses both rankings by reciprocal rank fusion, so a page only one of them finds still
 * appears, and pages both find rise. Without a model hybrid is full text; semantic is Unavailable.
 * Snippets are made for the results returned only.
 */
export async function searchPages(
  index: WikiIndex,
  semantics: WikiSemantics,
  query: string,
  options: SearchOptions,
  context: { limits: SearchLimits; linkStyle: WikiLinkStyle },
): Promise<SearchAnswer> {
  const { limits } = context;
  const q = query.trim();
  if (!q) throw new Invalid("Query parameter 'q' is required");
  const parsed = checkedQuery(q, limits);
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (limit > limits.maxResults) throw new Invalid(`limit must be at most ${limits.maxResults} for search`);
  const offset = options.offset ?? 0;
  const mode = options.mode ?? (semantics.available ? 'hybrid' : 'fulltext');
  await index.ensureFresh();
  const fts = toFtsQuery(parsed.terms);
  const fulltext = (depth: number, from = 0) =>
    fts === null ? { pages: [], total: 0 } : index.search(fts, { limit: depth, offset: from });

  let ranked: RankedPage[];
  let total: number;
  if (mode === 'semantic') {
    const pages = (await semantics.rankPages(q, offset + limit, true)) ?? [];
    ranked = pages.slice(offset);
    total = pages.length;
  } else if (mode === 'fulltext') {
    ({ pages: ranked, total } = fulltext(limit, offset));
  } else {
    const words = fulltext(Math.max(offset + limit, FUSION_DEPTH));
    const vectors = await semantics.rankPages(q, FUSION_DEPTH, false);
    if (vectors === null) {
      ranked = words.pages.slice(offset, offset + limit);
      total = words.total;
    } else {
      ranked = reciprocalRankFusion([words.pages, vectors], offset + limit).slice(offset);
      // Pages found by meaning alone add to the full-text matches.
      const ranks = new Set(words.pages.map((p) => p.path));
      const unranked = vectors.filter((p) => !ranks.has(p.path)).map((p) => p.path);
      total = words.total + unranked.length - (fts === null ? 0 : index.countMatchesAmong(fts, unranked));
    }
  }
  return { results: withSnippets(index, ranked, parsed.terms, context), total };
}

/** The query parsed, or Invalid naming the limit it breaks. */
export function checkedQuery(query: string, limits: SearchLimits): ParsedQuery {
  checkQueryLength(query, limits);
  const parsed = parseSearchQuery(query);
  if (parsed.wordCount > limits.maxTerms) {
    throw new Invalid(`Search query too long: at most ${limits.maxTerms} terms`);
  }
  if (parsed.shortestExplicitPrefix < MIN_PREFIX_CHARS) {
    throw new Invalid(`Search prefix too short: at least ${MIN_PREFIX_CHARS} characters before *`);
  }
  return parsed;
}

export function checkQueryLength(query: string, limits: Pick<SearchLimits, 'maxQueryChars'>): void {
  if (query.length > limits.maxQueryChars) {
    throw new Invalid(`Search query too long: at most ${limits.maxQueryChars} characters`);
  }
}

/** Snippets for the pages returned, each cut from a bounded head of the page's text. */
function withSnippets(
  index: WikiIndex,
  pages: RankedPage[],
  terms: readonly SearchTerm[],
  context: { limits: SearchLimits; linkStyle: WikiLinkStyle },
): SearchResult[] {
  const heads = index.bodyHeads(
    pages.map((p) => p.path),
    context.limits.snippetScanChars,
  );
  const snippetOf = snippetMaker(terms, context.linkStyle);
  return pages.map((page) => {
    let snippet = snippetOf(heads.get(page.path) ?? '');
    if (snippet.hits === 0 && page.excerpt) snippet = snippetOf(page.excerpt);
    return { path: page.path, name: page.name, score: page.score, snippet: snippet.parts };
  });
}

/**
 * Fuse rankings of pages: each page scores Σ 1/(k + rank) over the rankings it appears in (rank
 * from 1). A page keeps the name and excerpt of the first ranking that has it.
 */
export function reciprocalRankFusion(
  rankings: readonly RankedPage[][],
  limit: number,
  k = RRF_K,
): RankedPage[] {
  const fused = new Map<string, RankedPage>();
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
