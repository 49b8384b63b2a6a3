import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { pagePath, SEARCH_QUERIES } from './corpus.js';
import { generateRepository } from './generate.js';
import { benchMcp } from './mcp.js';
import { benchSemantic } from './semantic.js';
import { benchWebView } from './web.js';

/**
 * The project's benchmark (SPEC §11). Generates 1k- and 10k-page wikis with one commit per page,
 * serves each from a separate `wikibot serve` process, and measures what the quality bars name.
 * Prints Markdown and writes it to .bench/results.md.
 *
 *   npm run bench                 # both sizes
 *   BENCH_SIZES=1000 npm run bench
 */
const CLI = fileURLToPath(new URL('../bin/wikibot.js', import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

interface Row {
  size: number;
  what: string;
  value: string;
  bar: string;
}
const rows: Row[] = [];
const record = (size: number, what: string, value: string, bar = '') => {
  rows.push({ size, what, value, bar });
  console.log(`[${size}] ${what}: ${value}${bar ? `  (bar: ${bar})` : ''}`);
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
const ms = (v: number) => `${v.toFixed(2)} ms`;

function cli(args: string[], dataDir: string): string {
  return execFileSync(process.execPath, [CLI, '--data', dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WIKIBOT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

async function serve(dataDir: string): Promise<{ url: string; child: ChildProcess; startedMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, '--data', dataDir, 'serve', '--port', '0'], {
    env: { ...process.env, WIKIBOT_LOG_LEVEL: 'info', WIKIBOT_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /wikibot listening on (\S+)/.exec(err);
      if (match) resolve(match[1] as string);
    });
  });
  const first = `${url}/w/bench/api/v1/pages/${encodeURIComponent('Section 0')}/${encodeURIComponent('Topic 0')}/${encodeURIComponent('Page 0')}`;
  for (;;) {
    const res = await fetch(first, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await res.arrayBuffer();
    if (res.status === 200) break;
  }
  return { url, child, startedMs: performance.now() - started };
}

function apiUrl(url: string, path: string): string {
  return `${url}/w/bench/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    ...init,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function benchSize(size: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), `wikibot-bench-${size}-`));
  try {
    const source = join(root, 'source.git');
    const dataDir = join(root, 'data');
    await generateRepository(source, size);
    cli(['import', source, '--wiki', 'bench'], dataDir);

    const rebuild = performance.now();
    cli(['reindex', '--wiki', 'bench'], dataDir);
    record(
      size,
      'full rebuild of the index',
      ms(performance.now() - rebuild),
      size === 10000 ? '≤ 20 s' : '',
    );

    const { url, child, startedMs } = await serve(dataDir);
    try {
      record(size, 'start to first 200 (index present)', ms(startedMs), size === 10000 ? '≤ 1 s' : '');
      const random = (n: number) => Math.floor(Math.random() * n);

      // Warm page reads, one at a time.
      for (let i = 0; i < 300; i++) await request(apiUrl(url, pagePath(random(size))));
      const reads: number[] = [];
      for (let i = 0; i < 2000; i++)
        reads.push(await timed(() => request(apiUrl(url, pagePath(random(size))))));
      record(
        size,
        'REST page read p50 / p99',
        `${ms(percentile(reads, 50))} / ${ms(percentile(reads, 99))}`,
        'p50 ≤ 2 ms',
      );

      // Throughput with 10 connections, from autocannon.
      const paths = Array.from({ length: 500 }, () => apiUrl(url, pagePath(random(size))).slice(url.length));
      const load = await autocannon({
        url,
        connections: 10,
        duration: 10,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        requests: paths.map((path) => ({ method: 'GET', path })),
      });
      record(
        size,
        'REST page reads, 10 connections',
        `${Math.round(load.requests.average)} req/s (errors ${load.errors}, non-2xx ${load.non2xx})`,
        '≥ 5,000 req/s',
      );
      record(
        size,
        'RSS after read load',
        `${rssMb(child.pid as number).toFixed(0)} MB`,
        size === 10000 ? '≤ 300 MB' : '',
      );

      // Full-text search.
      const words = SEARCH_QUERIES;
      const searches: number[] = [];
      for (let i = 0; i < 400; i++) {
        const q = encodeURIComponent(words[i % words.length] as string);
        searches.push(await timed(() => request(`${url}/w/bench/api/v1/search?q=${q}`)));
      }
      record(
        size,
        'full-text search p50 / p99',
        `${ms(percentile(searches, 50))} / ${ms(percentile(searches, 99))}`,
        size === 10000 ? 'p50 ≤ 10 ms' : '',
      );

      // Sequential writes (one commit each).
      const writes: number[] = [];
      for (let i = 0; i < 300; i++) {
        const path = `Bench Writes/Page ${i}`;
        writes.push(
          await timed(() =>
            request(apiUrl(url, path), {
              method: 'PUT',
              body: JSON.stringify({ content: `# ${i}\n\nwritten` }),
            }),
          ),
        );
      }
      record(
        size,
        'page write p50 / p99',
        `${ms(percentile(writes, 50))} / ${ms(percentile(writes, 99))}`,
        'p50 ≤ 15 ms, p99 ≤ 60 ms',
      );

      // Five concurrent writers: no errors, nothing lost.
      const perWriter = 60;
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, w) =>
          (async () => {
            let ok = 0;
            for (let i = 0; i < perWriter; i++) {
              const res = await request(apiUrl(url, `Concurrent/W${w}/P${i}`), {
                method: 'PUT',
                body: JSON.stringify({ content: `w${w} p${i}` }),
              });
              if (res.status === 201) ok++;
            }
            return ok;
          })(),
        ),
      );
      const listed = await request(`${url}/w/bench/api/v1/pages?prefix=Concurrent/`);
      const ok = results.reduce((a, b) => a + b, 0);
      record(
        size,
        '5 concurrent writers',
        `${ok}/${5 * perWriter} acknowledged, ${listed.json.total} present`,
        'no errors, nothing lost',
      );
      await benchWebView({
        url,
        token: ADMIN_TOKEN,
        size,
        record: (what, value, bar) => record(size, what, value, bar),
        latency: (samples) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 99))}`,
      });
      await benchMcp({
        url,
        token: ADMIN_TOKEN,
        size,
        record: (what, value, bar) => record(size, what, value, bar),
        latency: (samples) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 99))}`,
      });
      record(
        size,
        'RSS at end',
        `${rssMb(child.pid as number).toFixed(0)} MB`,
        size === 10000 ? '≤ 300 MB' : '',
      );
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const size of SIZES) await benchSize(size);
  await benchSemantic({
    record,
    latency: (samples) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 99))}`,
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
  const table = [
    `Machine: ${machine}. Command: \`npm run bench\` (${new Date().toISOString().slice(0, 10)}).`,
    '',
    '| pages | what | result | bar |',
    '| ---: | --- | --- | --- |',
    ...rows.map((r) => `| ${r.size} | ${r.what} | ${r.value} | ${r.bar} |`),
  ].join('\n');
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/results.md', `${table}\n`);
  console.log(`\n${table}`);
}

await main();
