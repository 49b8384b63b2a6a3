import { pagePath } from './corpus.js';
import { serveTimed } from './serve-process.js';

export interface WriteBenchOptions {
  /** Data directory holding the generated wiki "bench". */
  dataDir: string;
  token: string;
  /** API path of a page to read first. */
  firstPage: string;
  /** Pages in the wiki. */
  size: number;
  record(what: string, value: string, bar?: string): void;
  /** How latency samples (ms) are summarised, e.g. "p50 / p99". */
  latency(samples: number[]): string;
}

const UPDATES = 400;
const EXTRA_COMMITS = 10_000;
const WRITERS = 10;
const WRITERS_SECONDS = 10;

/**
 * The write bars of issue 15: sequential page updates (each a commit with its page revision) before
 * and after 10,000 more commits (objects must be packed as they pile up), and 10 concurrent writers
 * with the check that every acknowledged write is there. One server process: its write pipeline.
 */
export async function benchWrites(options: WriteBenchOptions): Promise<void> {
  const served = await serveTimed(options.dataDir, options.token, options.firstPage, ['--workers', '1']);
  try {
    await measureWrites(apiClient(served.url, options.token), options);
  } finally {
    await served.stop();
  }
}

async function measureWrites(client: ApiClient, options: WriteBenchOptions): Promise<void> {
  options.record(
    'sequential page update p50 / p99',
    await sequentialUpdates(client, options),
    'p50 ≤ 5 ms, p99 ≤ 20 ms',
  );
  const extra = performance.now();
  await writeMany(client, EXTRA_COMMITS, WRITERS);
  options.record(
    `${EXTRA_COMMITS.toLocaleString('en')} more commits (10 writers)`,
    `${((performance.now() - extra) / 1000).toFixed(1)} s`,
  );
  options.record(
    `sequential page update p50 / p99 after ${EXTRA_COMMITS.toLocaleString('en')} more commits`,
    await sequentialUpdates(client, options),
    'p50 ≤ 5 ms, p99 ≤ 20 ms',
  );
  const load = await concurrentWriters(client, WRITERS, WRITERS_SECONDS);
  options.record(
    `${WRITERS} concurrent writers, ${WRITERS_SECONDS} s`,
    `${load.perSecond.toFixed(0)} commits/s, p50 / p99 ${options.latency(load.latencies)}; ` +
      `${load.acknowledged} acknowledged, ${load.present} present, ${load.errors} errors`,
    '≥ 300 commits/s, p99 ≤ 100 ms, nothing lost',
  );
}

interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

function apiClient(url: string, token: string): ApiClient {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}/w/bench/api/v1/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
  };
}

const pageUrl = (path: string) => `pages/${path.split('/').map(encodeURIComponent).join('/')}`;

/** Updates of existing pages, one at a time, each with the revision it replaces. */
async function sequentialUpdates(client: ApiClient, options: WriteBenchOptions): Promise<string> {
  const latencies: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const path = pagePath(Math.floor(Math.random() * options.size));
    const current = await client.call('GET', pageUrl(path));
    const start = performance.now();
    const res = await client.call('PUT', pageUrl(path), {
      content: `${current.json.content}\nUpdate ${i}.`,
      revision: current.json.revision,
    });
    latencies.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`update of ${path} answered ${res.status}`);
  }
  return options.latency(latencies);
}

/** `count` new pages from `writers` concurrent clients, as fast as they are acknowledged. */
async function writeMany(client: ApiClient, count: number, writers: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < count; i = next++) {
        const res = await client.call('PUT', pageUrl(`Bulk/${Math.floor(i / 100)}/Page ${i}`), {
          content: `Bulk page ${i}.`,
        });
        if (res.status !== 201) throw new Error(`bulk write ${i} answered ${res.status}`);
      }
    }),
  );
}

/** Writers creating pages of their own for `seconds`; then every acknowledged page must be present. */
async function concurrentWriters(client: ApiClient, writers: number, seconds: number) {
  const latencies: number[] = [];
  let acknowledged = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const start = performance.now();
        const res = await client.call('PUT', pageUrl(`Writers/W${w}/Page ${i}`), {
          content: `Writer ${w}, page ${i}.`,
        });
        latencies.push(performance.now() - start);
        if (res.status === 201) acknowledged++;
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const listed = await client.call('GET', 'pages?prefix=Writers/&limit=1');
  return {
    perSecond: acknowledged / elapsed,
    latencies,
    acknowledged,
    present: listed.json.total as number,
    errors,
  };
}
