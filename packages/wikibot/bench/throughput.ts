import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { pagePath } from './corpus.js';
import { serveTimed } from './serve-process.js';

export interface ThroughputBenchOptions {
  dataDir: string;
  token: string;
  /** Pages in the wiki "bench". */
  size: number;
  /** API path of a page to read first. */
  firstPage: string;
  record(what: string, value: string, bar?: string): void;
}

const SECONDS = 10;
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

/**
 * Issue 15's read bars as ratios: API page reads and page views (req/s, 10 connections) beside a bare
 * Node server's req/s measured in the same run by the same load generator; wikibot as one process
 * and with its default workers (one per core).
 */
export async function benchThroughput(options: ThroughputBenchOptions): Promise<void> {
  const limit = await helloWorldRate();
  options.record('bare Node http hello world', `${limit.toFixed(0)} req/s`);
  for (const workers of [['--workers', '1'], []]) {
    const label = workers.length > 0 ? '1 process' : 'default workers';
    const served = await serveTimed(options.dataDir, options.token, options.firstPage, workers);
    try {
      const api = await rate(served.url, options, (i) => ({
        path: `/w/bench/api/v1/pages/${encodedPath(i % options.size)}`,
      }));
      options.record(
        `API page read, ${label}`,
        `${api.toFixed(0)} req/s = ${percent(api, limit)} of bare Node`,
        '≥ 50 %',
      );
      const views = Math.min(VIEWED_PAGES, options.size);
      for (const [encoding, how] of PAGE_VIEW_ENCODINGS) {
        const view = await rate(served.url, options, (i) => ({
          path: `/w/bench/${encodedPath(i % views)}`,
          headers: { accept: 'text/html', 'accept-encoding': encoding },
        }));
        options.record(
          `page view (rendering cached, ${how}), ${label}`,
          `${view.toFixed(0)} req/s = ${percent(view, limit)} of bare Node`,
          '≥ 35 %',
        );
      }
    } finally {
      await served.stop();
    }
  }
}

function encodedPath(i: number): string {
  return pagePath(i).split('/').map(encodeURIComponent).join('/');
}

function percent(value: number, of: number): string {
  return `${((100 * value) / of).toFixed(0)} %`;
}

/** Requests per second from autocannon over `request(0..n)` in turn (warm-up pass first). */
async function rate(
  url: string,
  options: ThroughputBenchOptions,
  request: (i: number) => { path: string; headers?: Record<string, string> },
): Promise<number> {
  const requests = Array.from({ length: 500 }, (_, i) => ({ method: 'GET' as const, ...request(i) }));
  const run = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      headers: { authorization: `Bearer ${options.token}` },
      requests,
    });
  await run(2);
  const result = await run(SECONDS);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${url}`);
  }
  return result.requests.average;
}

async function helloWorldRate(): Promise<number> {
  const child = spawn(process.execPath, ['-e', HELLO_WORLD], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
    );
    const url = `http://127.0.0.1:${port}`;
    await autocannon({ url, connections: CONNECTIONS, duration: 2 });
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
    return result.requests.average;
  } finally {
    child.kill();
  }
}
