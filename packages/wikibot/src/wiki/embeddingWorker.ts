import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { errorMessage } from '../embed/checks.js';
import type { WikiIndex } from '../index/wikiIndex.js';
import type { EmbeddingRuntime } from './embeddingRuntime.js';

export interface EmbeddingWorkerOptions {
  /** Texts embedded per claim. */
  batchSize?: number;
  /** How often an idle worker looks for work queued by other processes or by `git push`. */
  pollMs?: number;
  /** How long a claim holds when its worker dies on another host. */
  leaseMs?: number;
}

const GARBAGE_INTERVAL_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Drains one wiki's embedding queue in the background of this process. It never holds a write
 * transaction while embedding: it claims a batch (one short transaction), embeds it, and stores the
 * vectors (another). A process killed mid-batch leaves claims that the next worker on the same host
 * takes over at once (the owner's pid is gone) and that expire elsewhere.
 */
export class EmbeddingWorker {
  /** `<pid>@<host>#<random>`: unique per worker, and tells whether its process still runs. */
  readonly owner = `${process.pid}@${hostname()}#${randomBytes(4).toString('hex')}`;
  private readonly abort = new AbortController();
  private readonly stopping = new Promise<{ provider: null }>((resolve) =>
    this.abort.signal.addEventListener('abort', () => resolve({ provider: null }), { once: true }),
  );
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly index: WikiIndex,
    private readonly runtime: EmbeddingRuntime,
    private readonly slug: string,
    options: EmbeddingWorkerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 32;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Look for work now (after a write) instead of at the next poll. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('embedding worker stopped'));
    this.wake?.();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const queue = this.index.semantic.queue;
    let adopted: string | undefined;
    let failures = 0;
    let collectedAt = Date.now();
    while (!this.stopped) {
      const { provider } = await Promise.race([this.runtime.ready(), this.stopping]);
      if (this.stopped) break;
      if (!provider) {
        await this.idle(this.runtime.retryAfterMs);
        continue;
      }
      try {
        if (adopted !== provider.id) {
          const queued = queue.adoptProvider(provider.id);
          if (queued > 0) this.log('info', `queued ${queued} texts for ${provider.id}`);
          adopted = provider.id;
        }
        await this.index.ensureFresh();
        const jobs = queue.claim(this.owner, this.batchSize, this.leaseMs);
        if (jobs.length === 0) {
          if (queue.releaseDeadClaims(isAlive) > 0) continue;
          if (Date.now() - collectedAt > GARBAGE_INTERVAL_MS) {
            queue.collectGarbage();
            collectedAt = Date.now();
          }
          await this.idle(this.pollMs);
          continue;
        }
        let vectors: Float32Array[];
        try {
          vectors = await provider.embed(
            jobs.map((job) => job.text),
            this.abort.signal,
          );
        } catch (error) {
          if (this.stopped) break;
          queue.release(jobs, this.owner);
          failures++;
          this.log('warn', `embedding ${jobs.length} texts failed: ${errorMessage(error)}`);
          await this.idle(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures));
          continue;
        }
        queue.complete(jobs, vectors, provider.id);
        failures = 0;
      } catch (error) {
        if (this.stopped) break;
        this.log('error', `embedding worker error: ${errorMessage(error)}`);
        await this.idle(MAX_BACKOFF_MS);
      }
    }
    queue.releaseOwner(this.owner);
  }

  /** Wait `ms`, or less when notified or stopped. */
  private idle(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.runtime.logger?.[level]({ event: 'embedding_worker', wiki: this.slug }, message);
  }
}

/** Whether the worker that made a claim may still be running: only a dead pid on this host says no. */
export function isAlive(owner: string): boolean {
  const match = /^(\d+)@(.*)#[0-9a-f]+$/.exec(owner);
  if (!match || match[2] !== hostname()) return true;
  const pid = Number(match[1]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
