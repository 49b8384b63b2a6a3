import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { pagePath } from './corpus.js';
import { cpuMs } from './serve-process.js';

export interface ObservabilityBenchOptions {
  size: number;
  token: string;
  /** Start `wikibot serve` (one process) on the benchmark's data directory with extra environment. */
  serve(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): void }>;
  record(what: string, value: string, bar?: string): void;
}

interface Process {
  server: { url: string; pid: number; stop(): void };
  cpuMs: number;
  requests: number;
}

interface Variant {
  name: string;
  processes: Process[];
}

const BURSTS = 20;
const REQUESTS_PER_BURST = 2000;
/** Two processes of one build differ by up to ±10 % in CPU per request, so each variant runs several. */
const PROCESSES_PER_VARIANT = 3;

/**
 * What metrics and tracing cost on page reads (bar: ≤ 5 %), as server CPU time per request: a few
 * servers per variant, all running at once, driven in turn by many short bursts of the same read
 * load, so that whatever else the machine does falls on every variant alike. Throughput on a shared
 * two-core machine swings by tens of percent between runs; CPU per request summed over interleaved
 * bursts does not.
 */
export async function benchObservability(options: ObservabilityBenchOptions): Promise<void> {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const collector = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const tracing = { WIKIBOT_METRICS: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: collector };
  const variants: Record<string, Record<string, string>> = {
    off: {},
    metrics: { WIKIBOT_METRICS: 'true' },
    'metrics + tracing, every request': tracing,
    'metrics + tracing, 5 % of requests': {
      ...tracing,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.05',
    },
  };
  const variantsRun: Variant[] = [];
  const processes = () => variantsRun.flatMap((variant) => variant.processes);
  try {
    for (const [name, env] of Object.entries(variants)) {
      const variant: Variant = { name, processes: [] };
      variantsRun.push(variant);
      for (let i = 0; i < PROCESSES_PER_VARIANT; i++) {
        variant.processes.push({ server: await options.serve(env), cpuMs: 0, requests: 0 });
      }
    }
    for (const each of processes()) await readBurst(each.server.url, options); // warm-up
    for (let burst = 0; burst < BURSTS; burst++) {
      for (const each of processes()) {
        const before = cpuMs(each.server.pid);
        each.requests += await readBurst(each.server.url, options);
        each.cpuMs += cpuMs(each.server.pid) - before;
      }
    }
  } finally {
    for (const each of processes()) each.server.stop();
    sink.close();
  }
  const perRequest = (list: Process[]) =>
    (list.reduce((sum, each) => sum + each.cpuMs, 0) * 1000) /
    list.reduce((sum, each) => sum + each.requests, 0);
  const spread = (variant: Variant) =>
    variant.processes.map((each) => perRequest([each]).toFixed(0)).join(' / ');
  const [off, ...measured] = variantsRun as [Variant, ...Variant[]];
  const base = perRequest(off.processes);
  for (const each of measured) {
    const cost = perRequest(each.processes);
    options.record(
      `page read CPU with ${each.name} vs off (${BURSTS} interleaved bursts, ${PROCESSES_PER_VARIANT} processes each)`,
      `${cost.toFixed(0)} vs ${base.toFixed(0)} µs per request: ${(((cost - base) / base) * 100).toFixed(1)} % overhead ` +
        `(per process: ${spread(each)} vs ${spread(off)} µs)`,
      '≤ 5 %',
    );
  }
}

/** One burst of API page reads over 10 connections; the number of requests answered. */
async function readBurst(url: string, options: ObservabilityBenchOptions): Promise<number> {
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
    amount: REQUESTS_PER_BURST,
    headers: { authorization: `Bearer ${options.token}` },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (load.non2xx > 0 || load.errors > 0)
    throw new Error(`page reads failed: ${load.non2xx} non-2xx, ${load.errors} errors`);
  return load.requests.total;
}
