import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import { Unavailable, WorkStopped } from '../wiki/errors.js';
import type * as workerTasks from './worker.js';

/** A task a worker runs: one structured-clonable input in, one result out. */
// biome-ignore lint/suspicious/noExplicitAny: each task names its own input type
type Task = (input: any) => unknown;

/** The tasks of this package's worker (src/work/worker.ts), by name. */
export type WorkerTasks = typeof workerTasks;

export interface WorkPoolOptions {
  /**
   * Most worker threads. One is started with the pool (see `start`) and replaced when stopped; more
   * start while tasks wait for a thread, and each of those stops after `idleMs` without a task.
   */
  threads: number;
  /** How long an extra thread may sit idle before it stops; default 30 s. */
  idleMs?: number;
  /** Heap one worker may grow to (MB); a task that needs more is stopped. */
  maxHeapMb: number;
  /** The worker module; default this package's worker.js. */
  filename?: string;
}

/** How long a task may take (from when it is handed in) and what to call it in messages. */
export interface Deadline {
  ms: number;
  what: string;
}

/** Workers run at a lower CPU priority than the server's event loop, which answers everyone else. */
const NICE_INCREMENT = 5;
/** An extra thread holds ~15 MB: stopped after this long without work. */
const IDLE_THREAD_MS = 30_000;

/**
 * The one pool of worker threads for heavy work (Markdown rendering; later semantic scans, import),
 * so that no request's work runs on the event loop. Every task has a deadline: past it, the task is
 * answered with WorkStopped (an Unavailable: 503) naming the deadline, and the thread running it is terminated (and
 * replaced), so its work is abandoned rather than left to finish.
 */
export class WorkPool<Tasks extends Record<string, Task> = WorkerTasks> {
  private pool: Promise<Piscina> | undefined;

  constructor(private readonly options: WorkPoolOptions) {}

  /**
   * Starts the first thread now rather than at the first task: loading a worker's modules takes
   * seconds on a busy machine, which should not count against the first request's deadline.
   */
  start(): void {
    void this.threads();
  }

  /** The pool, made on first use; piscina itself is loaded then too (commands that never render skip it). */
  private threads(): Promise<Piscina> {
    if (!this.pool) {
      const filename = this.options.filename ?? workerFile();
      this.pool = import('piscina').then(
        ({ Piscina }) =>
          new Piscina({
            filename,
            minThreads: 1,
            maxThreads: this.options.threads,
            idleTimeout: this.options.idleMs ?? IDLE_THREAD_MS,
            maxQueue: this.options.threads * 32,
            niceIncrement: NICE_INCREMENT,
            // A render's garbage is short-lived: a small young generation is plenty and keeps each
            // thread's memory small (V8's default young generation is several times larger).
            resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb, maxYoungGenerationSizeMb: 4 },
          }),
      );
    }
    return this.pool;
  }

  async run<Name extends keyof Tasks & string>(
    name: Name,
    input: Parameters<Tasks[Name]>[0],
    deadline: Deadline,
  ): Promise<Awaited<ReturnType<Tasks[Name]>>> {
    try {
      return await (await this.threads()).run(input, { name, signal: AbortSignal.timeout(deadline.ms) });
    } catch (error) {
      throw this.explain(error, deadline) ?? error;
    }
  }

  /** The threads running now. */
  async threadCount(): Promise<number> {
    return (await this.threads()).threads.length;
  }

  /** Stops every worker, abandoning what they were doing. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await (await pool)?.destroy();
  }

  private explain(error: unknown, { ms, what }: Deadline): Unavailable | null {
    if (!(error instanceof Error)) return null;
    if (error.name === 'AbortError') {
      return new WorkStopped(`${what} did not finish within its deadline of ${ms / 1000} s and was stopped.`);
    }
    if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new WorkStopped(
        `${what} needed more than ${this.options.maxHeapMb} MB of memory and was stopped.`,
      );
    }
    if (error.message === 'Task queue is at limit') {
      return new Unavailable(
        `The server is busy with other heavy work: ${what} was not started. Try again shortly.`,
      );
    }
    return null;
  }
}

/** worker.js beside this module; from the sources (vitest), the built one, as threads cannot load .ts. */
function workerFile(): string {
  const here = import.meta.url;
  const file = fileURLToPath(
    new URL(here.endsWith('.ts') ? '../../dist/work/worker.js' : './worker.js', here),
  );
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}
