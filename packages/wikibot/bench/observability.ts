import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { pagePath } from './corpus.js';
import { cpuMs, scriptServer } from './serve-process.js';
import { median } from './stats.js';

export interface ObservabilityBenchOptions {
  size: number;
  token: string;
  /** Start `wikibot serve` (one process) on the benchmark's data directory with extra environment. */
  serve(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
  record(what: string, value: string, bar?: string): void;
}

const ROUNDS = 20;
const BACKGROUND_WORK_AFTER_MS = 2000;
const WARM_UP_REQUESTS = 2000;
const MEASURED_REQUESTS = 10_000;
/** Spans leave in small batches during the burst, as on a busy server, rather than 5 s after it. */
const EXPORT_DELAY_MS = '200';

/**
 * What metrics and tracing cost on page reads (bar: ≤ 5 %), as server CPU time per request
 * (user + system of the whole process, from /proc, until it is idle again: span export included).
 * One server runs at a time, every variant in turn, for many rounds with a fresh process each;
 * the figure is the median over rounds of each variant's cost against the server with both off in
 * the same round. Running variants side by side let one's span export slow the others' load (its
 * collector shared the load generator's process) and the load generator's speed changes a server's
 * CPU per request; two processes of one build still differ by several percent, hence the rounds.
 */
export async function benchObservability(options: ObservabilityBenchOptions): Promise<void> {
  const cores = pinnedApart(); // first: the collector's process shares the load generator's core
  const collector = await scriptServer(COLLECTOR);
  const tracing = (ratio: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: EXPORT_DELAY_MS,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
  });
  const variants: Record<string, Record<string, string>> = {
    off: {},
    metrics: { WIKIBOT_METRICS: 'true' },
    'tracing, 1 % of requests': tracing('0.01'),
    'tracing, 5 % of requests': tracing('0.05'),
    'tracing, every request': tracing('1'),
  };
  const costs = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, env] of Object.entries(variants)) {
        costs.get(name)?.push(await cpuPerRead(env, options, cores));
      }
    }
  } finally {
    collector.stop();
    cores?.release();
  }
  const off = costs.get('off') as number[];
  for (const [name, each] of costs) {
    if (name === 'off') continue;
    const overheads = each.map((cost, round) => (cost / (off[round] as number) - 1) * 100);
    options.record(
      `page read CPU with ${name} vs off (median of ${ROUNDS} rounds, one server at a time${cores ? ', on a core of its own' : ''})`,
      `${median(overheads).toFixed(1)} % overhead (${median(each).toFixed(0)} vs ${median(off).toFixed(0)} µs per request; ` +
        `rounds: ${overheads.map((o) => o.toFixed(0)).join(' / ')} %)`,
      '≤ 5 %',
    );
  }
}

/** One fresh server: warmed up, then CPU µs per page read over a measured burst and its aftermath. */
async function cpuPerRead(
  env: Record<string, string>,
  options: ObservabilityBenchOptions,
  cores: PinnedCores | undefined,
): Promise<number> {
  const server = await options.serve(env);
  // The server starts its background work (a render thread, the embedding model, every wiki: ~0.3 s
  // of CPU) 2 s after it listens (src/cluster.ts); counted in a burst, it read as up to ±30 % noise.
  const backgroundDone = performance.now() + BACKGROUND_WORK_AFTER_MS + 1000;
  try {
    cores?.pinServer(server.pid);
    await readBurst(server.url, WARM_UP_REQUESTS, options);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, backgroundDone - performance.now())));
    await idle(server.pid);
    const before = cpuMs(server.pid);
    const requests = await readBurst(server.url, MEASURED_REQUESTS, options);
    await idle(server.pid);
    return ((cpuMs(server.pid) - before) * 1000) / requests;
  } finally {
    await server.stop();
  }
}

/** Until the process used no CPU over 300 ms (its last spans exported). */
async function idle(pid: number): Promise<void> {
  let last = cpuMs(pid);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = cpuMs(pid);
    if (now === last) return;
    last = now;
  }
}

/** API page reads over 10 connections, spread over 500 pages; the number of requests answered. */
async function readBurst(url: string, amount: number, options: ObservabilityBenchOptions): Promise<number> {
  const paths = Array.from(
    { length: 500 },
    (_, i) =>
      `/w/bench/api/v1/pages/${pagePath((i * 7919) % options.size)
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`,
  );
  const load = await autocannon({
    url,
    connections: 10,
    amount,
    headers: { authorization: `Bearer ${options.token}` },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (load.non2xx > 0 || load.errors > 0)
    throw new Error(`page reads failed: ${load.non2xx} non-2xx, ${load.errors} errors`);
  return load.requests.total;
}

interface PinnedCores {
  pinServer(pid: number): void;
  release(): void;
}

/**
 * With `taskset` and two cores or more: this process (the load generator) on core 0, each server
 * on core 1, so that neither's CPU time per request depends on where the scheduler put the other.
 */
function pinnedApart(): PinnedCores | undefined {
  const cores = availableParallelism();
  const pin = (pid: number, list: string) =>
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', list, String(pid)], { stdio: 'ignore' });
  if (cores < 2) return undefined;
  try {
    pin(process.pid, '0');
  } catch {
    return undefined; // no taskset here
  }
  return {
    pinServer: (pid) => pin(pid, '1'),
    release: () => pin(process.pid, `0-${cores - 1}`),
  };
}

/** An OTLP/HTTP collector that accepts and drops spans, in a process of its own. */
const COLLECTOR = `
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
