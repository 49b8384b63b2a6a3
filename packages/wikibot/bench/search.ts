import { SEARCH_QUERIES } from './corpus.js';

export interface SearchBenchOptions {
  /** Base URL of a running wikibot serving the generated wiki "bench". */
  url: string;
  token: string;
  record(what: string, value: string, bar?: string): void;
  /** How latency samples (ms) are summarised, e.g. "p50 / p99". */
  latency(samples: number[]): string;
}

const RUNS = 300;
/** A word on nearly every generated page, and one of the rarer vocabulary's words. */
const QUERIES = [
  { kind: 'common word', query: SEARCH_QUERIES[0] as string, bar: 'p50 ≤ 10 ms' },
  { kind: 'rare word', query: SEARCH_QUERIES[4] as string, bar: 'p50 ≤ 3 ms' },
];

/**
 * Full-text search over REST as an agent runs it (default limit 50, snippets included), one request
 * at a time, for a common and a rare word; each row also says how many matches `total` reported.
 */
export async function benchSearch(options: SearchBenchOptions): Promise<void> {
  for (const { kind, query, bar } of QUERIES) {
    const search = async () => {
      const start = performance.now();
      const response = await fetch(`${options.url}/w/bench/api/v1/search?q=${encodeURIComponent(query)}`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
      const answer = (await response.json()) as { total: number };
      if (response.status !== 200) throw new Error(`search ${query} failed: ${response.status}`);
      return { elapsed: performance.now() - start, total: answer.total };
    };
    const { total } = await search();
    for (let i = 0; i < 20; i++) await search();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push((await search()).elapsed);
    options.record(
      `full-text search, ${kind} "${query}" (total ${total}), p50 / p99`,
      options.latency(samples),
      bar,
    );
  }
}
