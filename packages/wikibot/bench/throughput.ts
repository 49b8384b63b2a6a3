import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { pagePath } from './corpus.js';
import { cpuMs, scriptServer, serveTimed } from './serve-process.js';
import { median } from './stats.js';

export interface ThroughputBenchOptions {
  dataDir: string;
  token: string;
  /** Pages in the wiki "bench". */
  size: number;
  /** API path of a page to read first. */
  firstPage: string;
  record(what: string, value: string, bar?: string): void;
}

/** Each row alternates this many times between the bare server and wikibot, this long each. */
const ROUNDS = 3;
const SECONDS = 4;
const CONNECTIONS = 10;
/** Page views cycle over this many pages, whose rendering is then cached (the common case). */
const VIEWED_PAGES = 200;

/**
 * Page views as a browser asks for them (it always takes gzip) and uncompressed: the sidebar of a
 * large wiki makes the page ~90 KB, a transfer the bare server's 11 bytes never pay.
 */
const PAGE_VIEW_ENCODINGS = [
  ['gzip, deflate, br', 'as browsers ask: gzip'],
  ['identity', 'uncompressed'],
] as const;

/** The platform's limit on this machine: a bare Node `http` hello world in a process of its own. */
const HELLO_WORLD = `
const server = require('node:http').createServer((req, res) => res.end('hello world'));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

type Request = { method: 'GET'; path: string; headers?: Record<string, string> };

/**
 * Issue 15's read bars as ratios: API page reads and page views (req/s, 10 connections) beside a bare
 * Node server's req/s measured by the same load generator, wikibot as one process and with its
 * default workers (one per core). On a shared machine the load drifts within a minute, so each row
 * alternates short runs of the bare server and of wikibot and reports the median of their ratios,
 * and the servers' CPU time per request, which waiting for a busy core does not inflate as much.
 */
export async function benchThroughput(options: ThroughputBenchOptions): Promise<void> {
  const hello = await scriptServer(HELLO_WORLD);
  try {
    for (const workers of [['--workers', '1'], []]) {
      const label = workers.length > 0 ? '1 process' : 'default workers';
      const served = await serveTimed(options.dataDir, options.token, options.firstPage, workers);
      try {
        const row = async (what: string, bar: string, request: (i: number) => Omit<Request, 'method'>) => {
          const requests = Array.from({ length: 500 }, (_, i) => ({ method: 'GET' as const, ...request(i) }));
          const wikibot = { url: served.url, pid: served.child.pid as number };
          const m = await beside(hello, wikibot, options.token, requests);
          options.record(
            `${what}, ${label}`,
            `${m.rate.toFixed(0)} req/s beside bare Node ${m.limit.toFixed(0)} req/s = ${m.percent.toFixed(0)} %; ` +
              `CPU per request ${m.cpuUs.toFixed(0)} µs beside ${m.limitCpuUs.toFixed(0)} µs = ${((100 * m.limitCpuUs) / m.cpuUs).toFixed(0)} %`,
            bar,
          );
        };
        await row('API page read', '≥ 50 %', (i) => ({
          path: `/w/bench/api/v1/pages/${encodedPath(i % options.size)}`,
        }));
        const views = Math.min(VIEWED_PAGES, options.size);
        for (const [encoding, how] of PAGE_VIEW_ENCODINGS) {
          await row(`page view (rendering cached, ${how})`, '≥ 35 %', (i) => ({
            path: `/w/bench/${encodedPath(i % views)}`,
            headers: { accept: 'text/html', 'accept-encoding': encoding },
          }));
        }
      } finally {
        await served.stop();
      }
    }
  } finally {
    hello.stop();
  }
}

function encodedPath(i: number): string {
  return pagePath(i).split('/').map(encodeURIComponent).join('/');
}

/**
 * wikibot's req/s over `requests` beside the bare server's: every distinct request once and a short
 * run first (so the cached case is what is measured), then ROUNDS alternating runs of each.
 */
async function beside(
  limit: Server,
  wikibot: Server,
  token: string,
  requests: Request[],
): Promise<{ rate: number; limit: number; percent: number; cpuUs: number; limitCpuUs: number }> {
  const url = wikibot.url;
  const headers = { authorization: `Bearer ${token}` };
  // Each worker process keeps its own caches, and takes connections in turn: one new connection
  // per request, as many times as there are workers, reaches them all.
  for (const r of new Map(requests.map((r) => [JSON.stringify(r), r])).values()) {
    for (let i = 0; i < availableParallelism(); i++)
      await getOnce(url + r.path, { ...headers, ...r.headers });
  }
  /** Requests per second, and CPU µs per request of the server's processes. */
  const run = async (target: Server, duration: number, list?: Request[]) => {
    const cpuBefore = treeCpuMs(target.pid);
    const result = await autocannon({
      url: target.url,
      connections: CONNECTIONS,
      duration,
      ...(list ? { headers, requests: list } : {}),
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${target.url}`);
    }
    const cpuUs = ((treeCpuMs(target.pid) - cpuBefore) * 1000) / result.requests.total;
    return { rate: result.requests.average, cpuUs };
  };
  // Long enough for the collector to clear what filling the caches left behind.
  await run(limit, 1);
  await run(wikibot, 4, requests);
  const limitRuns: { rate: number; cpuUs: number }[] = [];
  const runs: { rate: number; cpuUs: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    limitRuns.push(await run(limit, SECONDS));
    runs.push(await run(wikibot, SECONDS, requests));
  }
  return {
    rate: median(runs.map((r) => r.rate)),
    limit: median(limitRuns.map((r) => r.rate)),
    percent: median(runs.map((r, i) => (100 * r.rate) / (limitRuns[i] as { rate: number }).rate)),
    cpuUs: median(runs.map((r) => r.cpuUs)),
    limitCpuUs: median(limitRuns.map((r) => r.cpuUs)),
  };
}

interface Server {
  url: string;
  pid: number;
}

/** CPU time of a process and all its descendants (a `serve --workers N` primary and its workers). */
function treeCpuMs(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    return 0; // gone
  }
  return cpuMs(pid) + children.reduce((sum, child) => sum + treeCpuMs(child), 0);
}

/** One GET on a connection of its own, its answer read and dropped. */
function getOnce(url: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    }).on('error', reject);
  });
}
