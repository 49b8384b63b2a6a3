import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { ByteQueue } from './byte-queue.js';
import { GitError } from './errors.js';
import { spawnGit } from './run-git.js';

/**
 * Reads one response from the front of `queue`. Returns undefined (consuming nothing) until the
 * whole response has arrived.
 */
export type ResponseReader<T> = (queue: ByteQueue) => T | undefined;

/** A reader for answers of `count` lines. */
export function readLines(count: number): ResponseReader<string[]> {
  return (queue) => {
    if (queue.countLines(count) < count) return undefined;
    return Array.from({ length: count }, () => queue.takeLine()!);
  };
}

interface PendingRequest {
  input: Buffer;
  read: ResponseReader<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** How many processes this request was written to. */
  attempts: number;
}

export interface PersistentProcessOptions {
  /**
   * Requests are idempotent: when the process dies, the request it was working on is sent once more
   * to a fresh process. Otherwise that request fails with the process's error.
   */
  retryOnExit: boolean;
}

const STDERR_KEEP_CHARS = 4000;

/**
 * One long-lived git process answering requests in order on stdin/stdout (`cat-file --batch`).
 * Requests are pipelined; the process starts on first use and again after it exits. A process dies on the request at the head
 * of the queue (git answers in order), so the requests behind it are sent to the next process.
 * While idle the process does not keep Node's event loop alive.
 */
export class PersistentGitProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue = new ByteQueue();
  private pending: PendingRequest[] = [];
  private stderr = '';
  private closed = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly gitDir: string,
    private readonly args: readonly string[],
    private readonly options: PersistentProcessOptions,
  ) {}

  request<T>(input: Buffer | string, read: ResponseReader<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`git ${this.args.join(' ')}: repository is closed`));
    return new Promise<T>((resolve, reject) => {
      const request: PendingRequest = {
        input: typeof input === 'string' ? Buffer.from(input, 'utf8') : input,
        read,
        resolve: resolve as (value: unknown) => void,
        reject,
        attempts: 0,
      };
      this.send(request);
    });
  }

  /** Let the process finish what it was asked, then end it. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.child) {
      setReferenced(this.child, true);
      this.child.stdin.end();
    }
    await this.exited;
  }

  private send(request: PendingRequest): void {
    const child = this.child ?? this.start();
    request.attempts++;
    this.pending.push(request);
    setReferenced(child, true);
    child.stdin.write(request.input);
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawnGit(this.gitDir, this.args);
    this.child = child;
    this.stderr = '';
    let settled = false;
    this.exited = new Promise((resolve) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (settled) return;
        settled = true;
        this.onExit(child, code, signal, spawnError);
        resolve();
      };
      child.on('error', (error) => {
        // Only a failure to spawn leaves no pid; later errors (kill failures) are followed by 'close'.
        if (child.pid === undefined) onExit(null, null, error);
      });
      child.on('close', (code, signal) => onExit(code, signal));
    });
    child.stdin.on('error', () => {
      // The process died; 'close' reports why and resends what was not answered.
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      this.drain(child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEEP_CHARS);
    });
    return child;
  }

  private drain(child: ChildProcessWithoutNullStreams): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      let value: unknown;
      try {
        value = head.read(this.queue);
      } catch (error) {
        // Output we cannot parse: nothing after it can be trusted either.
        this.pending.shift();
        head.reject(error);
        child.kill();
        return;
      }
      if (value === undefined) return;
      this.pending.shift();
      head.resolve(value);
    }
    // Idle: let Node exit if nothing else is going on. Not while closing: close() awaits the exit.
    if (!this.closed) setReferenced(child, false);
  }

  private onExit(
    child: ChildProcessWithoutNullStreams,
    code: number | null,
    signal: NodeJS.Signals | null,
    spawnError?: Error,
  ): void {
    if (this.child === child) this.child = undefined;
    this.queue.clear();
    const stderr = spawnError ? `could not run git: ${spawnError.message}` : this.stderr;
    const error = new GitError(this.args, code, stderr || 'the process exited unexpectedly', signal);
    const unanswered = this.pending;
    this.pending = [];
    const [head, ...rest] = unanswered;
    if (!head) return;
    const retryHead = this.options.retryOnExit && head.attempts < 2 && !spawnError;
    if (!retryHead) head.reject(error);
    for (const request of retryHead ? unanswered : rest) {
      if (this.closed || spawnError) request.reject(error);
      else this.send(request);
    }
  }
}

/** Whether the process (and its pipes) keep the event loop alive. */
function setReferenced(child: ChildProcessWithoutNullStreams, referenced: boolean): void {
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    const handle = stream as { ref?: () => void; unref?: () => void };
    if (referenced) handle.ref?.();
    else handle.unref?.();
  }
  if (referenced) child.ref();
  else child.unref();
}
