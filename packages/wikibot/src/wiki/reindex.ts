import type { ProgressFn, WikiIndex } from '../index/wikiIndex.js';
import { Conflict } from './errors.js';

export interface ReindexStatus {
  status: 'idle' | 'in_progress' | 'complete' | 'error';
  pagesDone: number;
  pagesTotal: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

/** Rebuilds a wiki's index from git in the background, one run at a time, reporting progress. */
export class Reindexer {
  private state: ReindexStatus = {
    status: 'idle',
    pagesDone: 0,
    pagesTotal: 0,
    startedAt: null,
    finishedAt: null,
    error: null,
  };
  private running: Promise<void> | null = null;

  constructor(private readonly index: WikiIndex) {}

  status(): ReindexStatus {
    return { ...this.state };
  }

  /** Run a rebuild; a Conflict (thrown, not returned) if one is already running. Rejects as the run fails. */
  run(progress?: ProgressFn): Promise<void> {
    if (this.running) throw new Conflict('Reindex already in progress');
    this.state = {
      ...this.state,
      status: 'in_progress',
      pagesDone: 0,
      pagesTotal: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    const run = this.index
      .rebuild((done, total) => {
        this.state.pagesDone = done;
        this.state.pagesTotal = total;
        progress?.(done, total);
      })
      .then(
        () => {
          this.state.status = 'complete';
        },
        (error: unknown) => {
          this.state.status = 'error';
          this.state.error = error instanceof Error ? error.message : String(error);
          throw error;
        },
      )
      .finally(() => {
        this.state.finishedAt = new Date().toISOString();
        this.running = null;
      });
    this.running = run.catch(() => {});
    return run;
  }

  /** Wait for the current run, if any, whatever its outcome. */
  async settled(): Promise<void> {
    await this.running;
  }
}
