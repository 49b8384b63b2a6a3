import type { WikiIndex } from '../index/wikiIndex.js';
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

  /** Start a rebuild; a Conflict if one is already running. Resolves when it has started. */
  start(): Promise<void> {
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
    this.running = this.index
      .rebuild((done, total) => {
        this.state.pagesDone = done;
        this.state.pagesTotal = total;
      })
      .then(
        () => {
          this.state.status = 'complete';
        },
        (error: unknown) => {
          this.state.status = 'error';
          this.state.error = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => {
        this.state.finishedAt = new Date().toISOString();
        this.running = null;
      });
    return Promise.resolve();
  }

  /** Wait for the current run, if any. */
  async settled(): Promise<void> {
    await this.running;
  }
}
