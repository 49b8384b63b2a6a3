import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pagePath } from './corpus.js';
import { LambdaInstance } from './lambdaInstance.js';

export interface LambdaBenchOptions {
  size: number;
  /** A data directory holding the wiki `bench` (the shared directory, as EFS). */
  dataDir: string;
  token: string;
  record(what: string, value: string, bar?: string): void;
  latency(samples: number[]): string;
}

const BASE = 'https://wiki.example.test';
const WARM_READS = 300;
const WARM_WRITES = 60;

/**
 * The Lambda handler's cold starts and warm latencies (issue 12's bars beside the hosted platform's):
 * each "instance" is a fresh Node process with an empty index directory (its /tmp), invoked with API
 * Gateway events over IPC. A cold start is measured from spawning the process to the first page read's
 * result: loading the code, opening the services, seeding or building the index, answering.
 */
export async function benchLambda(options: LambdaBenchOptions): Promise<void> {
  const { size, record } = options;
  const snapshot = join(options.dataDir, 'wikis/bench/index.snapshot.sqlite');
  rmSync(snapshot, { force: true });
  const env = (every: number) => ({
    WIKIBOT_DATA: options.dataDir,
    WIKIBOT_INDEX_DIR: mkdtempSync(join(tmpdir(), 'wikibot-lambda-tmp-')),
    WIKIBOT_INDEX_SNAPSHOT_EVERY: String(every),
    WIKIBOT_BASE_URL: BASE,
    WIKIBOT_ADMIN_TOKEN: options.token,
    WIKIBOT_EMBEDDING_PROVIDER: 'none',
    WIKIBOT_LOG_LEVEL: 'warn',
  });
  const read = (instance: LambdaInstance, i: number) => call(instance, options.token, 'GET', pagePath(i));

  const rebuilt = await coldStart(env(0), (instance) => read(instance, 0));
  record('Lambda cold start to first page read, no snapshot (index rebuilt)', `${rebuilt.ms.toFixed(0)} ms`);
  await rebuilt.stop();

  const writer = await coldStart(env(50), (instance) => read(instance, 0));
  record(
    'Lambda cold start, no snapshot yet (rebuild, then the snapshot written)',
    `${writer.ms.toFixed(0)} ms`,
  );
  await writer.stop();

  const seeded = await coldStart(env(50), (instance) => read(instance, 1));
  record(
    'Lambda cold start to first page read, snapshot on the shared directory',
    `${seeded.ms.toFixed(0)} ms`,
    size === 10000 ? '≤ 1.5 s (platform: < 5 s, reached 3.1 s)' : '',
  );
  try {
    const reads: number[] = [];
    for (let i = 0; i < WARM_READS; i++)
      reads.push(await timed(() => read(seeded.instance, (i * 7919) % size)));
    record(
      'Lambda warm page read p50 / p99 (through the handler)',
      options.latency(reads),
      'p50 ≤ 20 ms (platform: < 500 ms)',
    );
    const writes: number[] = [];
    for (let i = 0; i < WARM_WRITES; i++) {
      writes.push(
        await timed(() =>
          call(seeded.instance, options.token, 'PUT', `Lambda Bench/Page ${i}`, {
            content: `# Page ${i}\n\nWritten warm.`,
          }),
        ),
      );
    }
    record(
      'Lambda warm page write p50 / p99 (through the handler)',
      options.latency(writes),
      'p50 ≤ 50 ms (platform: < 1 s)',
    );
  } finally {
    await seeded.stop();
  }
}

async function coldStart(
  env: Record<string, string>,
  first: (instance: LambdaInstance) => Promise<unknown>,
): Promise<{ instance: LambdaInstance; ms: number; stop(): Promise<void> }> {
  const started = performance.now();
  const instance = await LambdaInstance.start(env);
  await first(instance);
  const ms = performance.now() - started;
  const stop = async () => {
    await instance.stop();
    rmSync(env.WIKIBOT_INDEX_DIR as string, { recursive: true, force: true, maxRetries: 3 });
  };
  return { instance, ms, stop };
}

async function call(instance: LambdaInstance, token: string, method: string, path: string, body?: unknown) {
  const url = `${BASE}/w/bench/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
  const reply = await instance.fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const ok = method === 'PUT' ? [200, 201] : [200];
  if (!ok.includes(reply.status)) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return reply;
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}
