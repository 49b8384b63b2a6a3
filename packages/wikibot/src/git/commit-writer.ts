import { join } from 'node:path';
import { checkSignature, formatCommit, normalizeMessage, parseCommit } from './commit-object.js';
import { CommitRetriesExhaustedError, GitError, GitInputError, GitObjectNotFoundError } from './errors.js';
import { AutoGc } from './maintenance.js';
import type { ObjectReader } from './object-reader.js';
import { ObjectWriter } from './object-writer.js';
import { PersistentGitProcess, readLines } from './persistent-process.js';
import { PriorityClaim } from './priority-claim.js';
import { type BlobChange, buildTree, type TreeStore } from './tree-builder.js';
import { TreeCache, type TreeEntries } from './tree-cache.js';
import { mktreeInput, parseTree, type TreeItem } from './tree-codec.js';
import type { CommitRequest, FileChange, PrepareCommit, Signature } from './types.js';
import { pathSegments } from './validation.js';

export interface CommitWriterSettings {
  gitDir: string;
  branch: string;
  /** hex digits of an object id: 40 (SHA-1) or 64 (SHA-256) */
  idLength: number;
  committer: Signature;
  maxAttempts: number;
  /** Run `git gc --auto` every this many commits (0: never). */
  gcAutoEvery: number;
  onBackgroundError: (error: Error) => void;
  reader: ObjectReader;
  tip: () => string | null;
}

/** update-ref's complaint when another writer holds the ref lock longer than git waits for it. */
const LOCKED = /Unable to create '[^']*\.lock': File exists/;
/** A writer that lost this many races in a row asks the others to let it through (see PriorityClaim). */
const CLAIM_PRIORITY_AFTER_LOSSES = 2;
const PRIORITY_CLAIM_TTL_MS = 2000;
/** Tree entries kept in memory (a few MB at most). */
const TREE_CACHE_ENTRIES = 50_000;
/** Trees of the last commits this writer made, so the next commit need not read its parent. */
const COMMIT_TREES_KEPT = 64;

/**
 * Builds commits with plumbing and publishes them with a compare-and-swap on the branch. Every git
 * process it uses is long-lived (hash-object for blobs and commits, mktree, update-ref), so a commit
 * spawns nothing; update-ref exits on a failed compare-and-swap and is restarted at once, off the
 * critical path. Trees read or written recently are cached, so a writer committing in a row reads
 * no trees from git.
 */
export class CommitWriter implements TreeStore {
  private readonly blobs: ObjectWriter;
  private readonly commits: ObjectWriter;
  private readonly trees: PersistentGitProcess;
  private readonly refUpdates: PersistentGitProcess;
  private readonly treeCache = new TreeCache(TREE_CACHE_ENTRIES);
  private readonly commitTrees = new Map<string, string>();
  private readonly gc: AutoGc;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly priority: PriorityClaim;

  constructor(private readonly settings: CommitWriterSettings) {
    this.blobs = new ObjectWriter(settings.gitDir, 'blob');
    this.commits = new ObjectWriter(settings.gitDir, 'commit');
    this.trees = new PersistentGitProcess(settings.gitDir, ['mktree', '-z', '--batch'], {
      retryOnExit: true,
    });
    this.refUpdates = new PersistentGitProcess(settings.gitDir, ['update-ref', '--stdin'], {
      retryOnExit: false,
      restartAtOnce: true,
    });
    this.priority = new PriorityClaim(
      join(settings.gitDir, 'wikibot-commit-priority'),
      PRIORITY_CLAIM_TTL_MS,
    );
    this.gc = new AutoGc(settings.gitDir, settings.gcAutoEvery, settings.onBackgroundError);
  }

  /**
   * Commits of this writer run one at a time (racing ourselves would only waste attempts); the
   * compare-and-swap settles races with other writers: a loser prepares again on the new tip.
   */
  commit(prepare: PrepareCommit): Promise<{ sha: string; parent: string | null }> {
    const result = this.queue.then(() => this.commitWithRetries(prepare));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async commitWithRetries(prepare: PrepareCommit): Promise<{ sha: string; parent: string | null }> {
    const { maxAttempts, tip } = this.settings;
    try {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        await this.priority.yieldToOthers();
        const parent = tip();
        const request = await prepare(parent);
        // Cheap checks of the ref file first: a race lost before publishing costs no objects and does
        // not make update-ref exit (which it does on a failed compare-and-swap).
        if (tip() === parent) {
          const sha = await this.writeCommit(parent, request);
          if (tip() === parent && (await this.publish(sha, parent))) {
            this.gc.committed();
            return { sha, parent };
          }
        }
        if (attempt >= CLAIM_PRIORITY_AFTER_LOSSES) this.priority.claim();
      }
      throw new CommitRetriesExhaustedError(maxAttempts);
    } finally {
      this.priority.release();
    }
  }

  async readTree(sha: string): Promise<TreeEntries> {
    const cached = this.treeCache.get(sha);
    if (cached) return cached;
    const object = await this.settings.reader.read(sha);
    if (object?.type !== 'tree') throw new GitObjectNotFoundError(`tree ${sha} not found`);
    const items = parseTree(object.content, this.settings.idLength / 2);
    const entries = new Map(items.map((item) => [item.name, item]));
    this.treeCache.set(sha, entries);
    return entries;
  }

  async writeTree(entries: Map<string, TreeItem>): Promise<string> {
    const [id] = await this.trees.request(mktreeInput(entries.values()), readLines(1));
    this.treeCache.set(id!, entries);
    return id!;
  }

  async close(): Promise<void> {
    await Promise.all([
      this.blobs.close(),
      this.commits.close(),
      this.trees.close(),
      this.refUpdates.close(),
      this.gc.idle(),
    ]);
  }

  /** Writes blobs, trees and the commit object; returns the commit id. Nothing is published yet. */
  private async writeCommit(parent: string | null, request: CommitRequest): Promise<string> {
    const author = checkSignature(request?.author, 'author');
    const message = normalizeMessage(request?.message);
    if (!Array.isArray(request?.changes)) throw new GitInputError('commit request: changes must be an array');
    for (const change of request.changes) pathSegments(change?.path); // reject bad paths before any write
    const date = request.date ?? new Date();
    const writes = request.changes.filter((change) => change?.content !== null);
    const [blobIds, baseTree] = await Promise.all([
      this.blobs.write(writes.map(contentBytes)),
      parent === null ? null : this.treeOf(parent),
    ]);
    const blobOf = new Map(writes.map((change, i) => [change, blobIds[i]!]));
    const changes: BlobChange[] = request.changes.map((change) => ({
      path: change.path,
      blob: blobOf.get(change) ?? null,
    }));
    const tree = await buildTree(this, baseTree, changes);
    const commit = formatCommit({
      tree,
      parent,
      author,
      authorDate: date,
      committer: this.settings.committer,
      committerDate: date,
      message,
    });
    const [id] = await this.commits.write([commit]);
    this.rememberTree(id!, tree);
    return id!;
  }

  private async treeOf(commit: string): Promise<string> {
    const known = this.commitTrees.get(commit);
    if (known) return known;
    const object = await this.settings.reader.read(commit);
    if (object?.type !== 'commit') throw new GitObjectNotFoundError(`commit ${commit} not found`);
    return parseCommit(commit, object.content).tree;
  }

  private rememberTree(commit: string, tree: string): void {
    this.commitTrees.set(commit, tree);
    if (this.commitTrees.size > COMMIT_TREES_KEPT) {
      this.commitTrees.delete(this.commitTrees.keys().next().value!);
    }
  }

  /** Moves the branch from `parent` to `sha` if nobody moved it first. False when we lost the race. */
  private async publish(sha: string, parent: string | null): Promise<boolean> {
    const expected = parent ?? '0'.repeat(this.settings.idLength);
    const ref = `refs/heads/${this.settings.branch}`;
    try {
      const answer = await this.refUpdates.request(
        `start\nupdate ${ref} ${sha} ${expected}\ncommit\n`,
        readLines(2),
      );
      if (answer[0] !== 'start: ok' || answer[1] !== 'commit: ok') {
        throw new Error(`unexpected git update-ref output: ${JSON.stringify(answer)}`);
      }
      return true;
    } catch (error) {
      const now = this.settings.tip();
      if (now === sha) return true; // it did land; only the answer was lost
      if (now !== parent) return false;
      if (error instanceof GitError && LOCKED.test(error.stderr)) return false;
      throw error;
    }
  }
}

function contentBytes(change: FileChange): Buffer {
  const { content } = change;
  if (Buffer.isBuffer(content)) return content;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  throw new GitInputError(`content of ${JSON.stringify(change?.path)} must be a string, a Buffer or null`);
}
