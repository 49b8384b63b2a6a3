import type { Counter, Histogram, Registry } from 'prom-client';

/** The front door a request came in through: one label value per door. */
export type Door = 'api' | 'mcp' | 'web' | 'oauth' | 'git' | 'system';

/** Numbers read when Prometheus scrapes, not on the request path. */
export interface GaugeSources {
  /** Each open wiki: commits its index is behind the branch, and embedding jobs waiting. */
  wikis(): Promise<{ slug: string; indexLagCommits: number; embeddingQueue: number }[]>;
  /** Browser sessions that have not expired. */
  openSessions(): Promise<number>;
}

/** What the rest of the server records; `registry` answers `/metrics`. */
export interface Metrics {
  readonly registry: Registry;
  request(door: Door, route: string, method: string, status: number, seconds: number): void;
  /** A publication of `commits` commits (a chain) that took `seconds`, prepared again `casRetries` times. */
  commit(seconds: number, casRetries: number, commits: number): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** prom-client is loaded only when metrics are switched on. */
export async function createMetrics(sources: GaugeSources): Promise<Metrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  const registers = [registry];
  prom.collectDefaultMetrics({ register: registry, prefix: 'wikibot_' });

  const requests: Counter<'door' | 'route' | 'method' | 'status_class'> = new prom.Counter({
    name: 'wikibot_http_requests_total',
    help: 'HTTP requests answered, by door, route template, method and status class',
    labelNames: ['door', 'route', 'method', 'status_class'],
    registers,
  });
  const latency: Histogram<'door' | 'route' | 'method'> = new prom.Histogram({
    name: 'wikibot_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by door, route template and method',
    labelNames: ['door', 'route', 'method'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const publishes = new prom.Histogram({
    name: 'wikibot_git_publish_duration_seconds',
    help: 'Time to build and publish a commit or a chain of commits, compare-and-swap retries included',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const commits = new prom.Counter({
    name: 'wikibot_git_commits_total',
    help: 'Commits this process published',
    registers,
  });
  const casRetries = new prom.Counter({
    name: 'wikibot_git_cas_retries_total',
    help: 'Commits prepared again because another writer moved the branch first',
    registers,
  });

  // Both per-wiki gauges come from one look at the open wikis per scrape.
  let wikisOfScrape: ReturnType<GaugeSources['wikis']> | null = null;
  const scrapeWikis = () => {
    wikisOfScrape ??= sources.wikis().finally(() =>
      setImmediate(() => {
        wikisOfScrape = null;
      }),
    );
    return wikisOfScrape;
  };
  new prom.Gauge({
    name: 'wikibot_index_lag_commits',
    help: 'Commits the wiki index is behind its branch',
    labelNames: ['wiki'],
    registers,
    async collect() {
      this.reset();
      for (const wiki of await scrapeWikis()) this.set({ wiki: wiki.slug }, wiki.indexLagCommits);
    },
  });
  new prom.Gauge({
    name: 'wikibot_embedding_queue_length',
    help: 'Chunks waiting to be embedded',
    labelNames: ['wiki'],
    registers,
    async collect() {
      this.reset();
      for (const wiki of await scrapeWikis()) this.set({ wiki: wiki.slug }, wiki.embeddingQueue);
    },
  });
  new prom.Gauge({
    name: 'wikibot_open_sessions',
    help: 'Browser sessions that have not expired',
    registers,
    async collect() {
      this.set(await sources.openSessions());
    },
  });

  // prom-client hashes a label object on every call; the few label combinations a server sees are
  // bound once (route templates and methods are bounded by the router, doors and classes are few).
  const bound = new Map<string, { count: { inc(): void }; time: { observe(seconds: number): void } }>();
  return {
    registry,
    request(door, route, method, status, seconds) {
      const status_class = `${Math.floor(status / 100)}xx`;
      const key = `${door} ${route} ${method} ${status_class}`;
      let series = bound.get(key);
      if (!series) {
        series = {
          count: requests.labels({ door, route, method, status_class }),
          time: latency.labels({ door, route, method }),
        };
        bound.set(key, series);
      }
      series.count.inc();
      series.time.observe(seconds);
    },
    commit(seconds, retries, count) {
      publishes.observe(seconds);
      commits.inc(count);
      if (retries > 0) casRetries.inc(retries);
    },
  };
}
