import { pagePathOfFile } from '../domain/pagePath.js';
import { blobId } from '../git/objectId.js';
import type { GitRepository } from '../git/repository.js';
import type { ChainedCommit, CommitInfo, CommitRequest, FileChange } from '../git/types.js';
import type { AppliedCommit, IndexedPage, WikiIndex } from '../index/wikiIndex.js';
import type { Actor } from './types.js';

/** What a write commits, and what it answers once it has landed as `revision`. */
export interface PreparedChange<T> {
  changes: FileChange[];
  message: string;
  result: (revision: string) => T;
}

/** The current pages as of the tip a write will be built on. */
export type CurrentPage = (path: string) => IndexedPage | undefined;

export interface WriteRequest<T> {
  actor: Actor;
  /**
   * Checks the write's preconditions against the pages it names (through `current`) and says what
   * to commit; throws to refuse it. Asked again whenever the tip it was prepared on is lost.
   */
  prepare: (
    current: CurrentPage,
    /** What the writes accepted before it in its chain change, not in the index yet. */
    chain: readonly FileChange[],
  ) => PreparedChange<T> | Promise<PreparedChange<T>>;
  /**
   * The write reads only the pages it asks `current` for (a page write or edit), so it can share a
   * chain with writes to other pages. Otherwise it reads the index at large and commits alone.
   */
  shareable: boolean;
}

/** Writes in one chain at most (bounds the work a lost race repeats). */
const MAX_CHAIN = 64;

interface Queued {
  request: WriteRequest<unknown>;
  date: Date;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Accepted {
  write: Queued;
  prepared: PreparedChange<unknown>;
  commit: Required<CommitRequest>;
}

/**
 * The writes of one wiki in this process. Writes queue while a chain is being committed; the next
 * chain takes every queued write, prepares each against the index at the tip, and commits them as a
 * chain of commits (each its own, with its author and message) published with one compare-and-swap.
 * A write that touches a page an earlier write of the chain writes waits for the next chain, so each
 * write's checks hold for exactly what it lands on; a write refused by its checks fails alone. When
 * another process moves the branch first, the chain is prepared again, whole, on the new tip.
 */
export class WritePipeline {
  private queue: Queued[] = [];
  private draining = false;

  constructor(
    private readonly repo: GitRepository,
    private readonly index: WikiIndex,
    private readonly committed: () => void,
  ) {}

  submit<T>(request: WriteRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Git keeps whole seconds.
      const date = new Date(Math.floor(Date.now() / 1000) * 1000);
      this.queue.push({ request, date, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // A commit waits for no other process, so it can run start to end in one turn of the event
        // loop: let the writes that arrived in this turn (requests read together) queue first.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, MAX_CHAIN);
        this.queue.unshift(...(await this.commitChain(batch)));
      }
    } finally {
      this.draining = false;
    }
  }

  /** Commits what it can of `batch`, settles those writes, and returns the writes left for later. */
  private async commitChain(batch: Queued[]): Promise<Queued[]> {
    let accepted: Accepted[] = [];
    let refused = new Map<Queued, unknown>();
    let deferred: Queued[] = [];
    let commits: ChainedCommit[];
    try {
      commits = await this.repo.commitChain(async () => {
        await this.index.ensureFresh();
        ({ accepted, refused, deferred } = await this.prepare(batch));
        return accepted.map((a) => a.commit);
      });
      await this.index.applyCommits(accepted.map((a, i) => applied(a, commits[i]!)));
    } catch (error) {
      for (const write of batch) {
        if (refused.has(write)) write.reject(refused.get(write));
        else if (!deferred.includes(write)) write.reject(error);
      }
      return deferred;
    }
    if (accepted.length > 0) this.committed();
    for (const [i, { write, prepared }] of accepted.entries())
      write.resolve(prepared.result(commits[i]!.sha));
    for (const [write, error] of refused) write.reject(error);
    return deferred;
  }

  /** Prepares each write of the batch in order against the index (which is at the tip). */
  private async prepare(batch: Queued[]) {
    const accepted: Accepted[] = [];
    const refused = new Map<Queued, unknown>();
    const deferred: Queued[] = [];
    /** Pages and files written by accepted writes, lowercased. */
    const written = new Set<string>();
    /** Files and folders the accepted writes make, for the clashes a chain-mate could cause. */
    const layout = new ChainLayout();
    for (const write of batch) {
      const alone = !write.request.shareable;
      const closed = accepted.length > 0 && !accepted.at(-1)!.write.request.shareable;
      if (closed || (alone && accepted.length > 0)) {
        deferred.push(write);
        continue;
      }
      const read = new Set<string>();
      const current: CurrentPage = (path) => {
        read.add(path.toLowerCase());
        return this.index.page(path);
      };
      let prepared: PreparedChange<unknown>;
      try {
        prepared = await write.request.prepare(
          current,
          accepted.flatMap((a) => a.prepared.changes),
        );
      } catch (error) {
        if ([...read].some((key) => written.has(key))) deferred.push(write);
        else refused.set(write, error);
        continue;
      }
      const writes = prepared.changes.map((change) => writtenKey(change.path));
      const files = prepared.changes.filter((change) => change.content !== null).map((change) => change.path);
      if ([...read, ...writes].some((key) => written.has(key)) || layout.clashes(files)) {
        deferred.push(write);
        continue;
      }
      for (const key of writes) written.add(key);
      layout.add(files);
      const { changes, message } = prepared;
      accepted.push({
        write,
        prepared,
        commit: { changes, message, author: write.request.actor, date: write.date },
      });
    }
    return { accepted, refused, deferred };
  }
}

/**
 * The files a chain writes and the folders they lie in. The index, which each write's checks consult,
 * does not show a chain-mate's files yet, so a write is left for the next chain when its files would
 * sit where the chain puts a folder, below a file of the chain, or in one of the chain's folders
 * spelled in another case.
 */
class ChainLayout {
  private readonly files = new Set<string>();
  /** Lowercased folder path → its spelling. */
  private readonly folders = new Map<string, string>();

  clashes(paths: readonly string[]): boolean {
    return paths.some((path) => {
      if (this.folders.has(path.toLowerCase())) return true;
      return folderPrefixes(path).some(
        (folder) =>
          this.files.has(folder.toLowerCase()) ||
          (this.folders.get(folder.toLowerCase()) ?? folder) !== folder,
      );
    });
  }

  add(paths: readonly string[]): void {
    for (const path of paths) {
      this.files.add(path.toLowerCase());
      for (const folder of folderPrefixes(path)) this.folders.set(folder.toLowerCase(), folder);
    }
  }
}

/** "a/b/c.md" → ["a", "a/b"] */
function folderPrefixes(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
}

/** A written file as the key `current` lookups are compared with: its page path, lowercased. */
function writtenKey(file: string): string {
  return (pagePathOfFile(file) ?? file).toLowerCase();
}

function applied(accepted: Accepted, commit: ChainedCommit): AppliedCommit {
  const { commit: request } = accepted;
  const info: CommitInfo = {
    sha: commit.sha,
    authorName: request.author.name,
    authorEmail: request.author.email,
    date: isoWithOffset(request.date),
    message: request.message,
  };
  const changes = request.changes.map((c) => {
    const bytes = c.content === null ? null : Buffer.isBuffer(c.content) ? c.content : Buffer.from(c.content);
    return { path: c.path, content: bytes, blob: bytes === null ? null : blobId(bytes) };
  });
  return { info, parent: commit.parent, changes };
}

/** The date as git records it: local time with offset, second precision (UTC here). */
function isoWithOffset(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
