import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { pagePath } from './corpus.js';

export interface ObservabilityBenchOptions {
  size: number;
  token: string;
  /** Start `wikibot serve` on the benchmark's data directory with extra environment; stop it with `stop`. */
  serve(env: Record<string, string>): Promise<{ url: string; stop(): void }>;
  record(what: string, value: string, bar?: string): void;
}

const ROUNDS = 3;

/**
 * What metrics and tracing cost on page reads (bar: ≤ 5 %). The same read load against the server
 * with both off, metrics on, and metrics + tracing exporting to an OTLP sink on loopback, in
 * alternating rounds; medians of the rounds.
 */
export async function benchObservability(options: ObservabilityBenchOptions): Promise<void> {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const collector = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const variants: Record<string, Record<string, string>> = {
    off: {},
    metrics: { WIKIBOT_METRICS: 'true' },
    'metrics + tracing': { WIKIBOT_METRICS: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: collector },
  };
  const results: Record<string, number[]> = { off: [], metrics: [], 'metrics + tracing': [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, env] of Object.entries(variants)) {
        const server = await options.serve(env);
        try {
          results[name]?.push(await readRate(server.url, options));
        } finally {
          server.stop();
        }
      }
    }
  } finally {
    sink.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const base = median(results.off ?? []);
  for (const name of ['metrics', 'metrics + tracing']) {
    const rate = median(results[name] ?? []);
    const overhead = ((base - rate) / base) * 100;
    options.record(
      `page reads with ${name} vs off (median of ${ROUNDS} rounds)`,
      `${Math.round(rate)} vs ${Math.round(base)} req/s: ${overhead.toFixed(1)} % overhead`,
      '≤ 5 %',
    );
  }
}

async function readRate(url: string, options: ObservabilityBenchOptions): Promise<number> {
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
    duration: 8,
    headers: { authorization: `Bearer ${options.token}` },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (load.non2xx > 0 || load.errors > 0)
    throw new Error(`page reads failed: ${load.non2xx} non-2xx, ${load.errors} errors`);
  return load.requests.average;
}
