import { pagePath } from './corpus.js';

export interface WebBenchOptions {
  /** Base URL of a running wikibot serving the generated wiki "bench". */
  url: string;
  token: string;
  /** Pages in the wiki. */
  size: number;
  record(what: string, value: string, bar?: string): void;
  /** How latency samples (ms) are summarised, e.g. "p50 / p99". */
  latency(samples: number[]): string;
}

const CACHED_PAGES = 200;
const WARM_VIEWS = 2000;
const FIRST_VIEWS = 300;

/**
 * The web UI's page view (SPEC §11: rendered page view p50 ≤ 5 ms): the whole HTML page (frame,
 * sidebar, rendered Markdown) as a browser gets it, one request at a time. Measured for pages whose
 * rendering is cached (the common case) and for first views, which render the Markdown.
 */
export async function benchWebView(options: WebBenchOptions): Promise<void> {
  const view = async (index: number) => {
    const path = pagePath(index).split('/').map(encodeURIComponent).join('/');
    const start = performance.now();
    const response = await fetch(`${options.url}/w/bench/${path}`, {
      headers: { authorization: `Bearer ${options.token}`, accept: 'text/html' },
    });
    const html = await response.text();
    const elapsed = performance.now() - start;
    if (response.status !== 200 || !html.includes('class="markdown"')) {
      throw new Error(`page view ${path} failed: ${response.status}`);
    }
    return elapsed;
  };
  const cachedCount = Math.min(CACHED_PAGES, options.size);
  for (let i = 0; i < cachedCount; i++) await view(i);
  const warm: number[] = [];
  for (let i = 0; i < WARM_VIEWS; i++) warm.push(await view(Math.floor(Math.random() * cachedCount)));
  options.record(
    'rendered page view p50 / p99 (HTML, rendering cached)',
    options.latency(warm),
    'p50 ≤ 5 ms',
  );

  const first: number[] = [];
  const fresh = Math.min(FIRST_VIEWS, options.size - cachedCount);
  for (let i = 0; i < fresh; i++) first.push(await view(cachedCount + i));
  if (first.length > 0)
    options.record('rendered page view p50 / p99 (first view, renders Markdown)', options.latency(first));
}
