import { join } from 'node:path';
import { checkSignature, formatCommit, normalizeMessage, parseCommit } from './commit-object.js';
import { CommitRetriesExhaustedError, GitInputError, GitObjectNotFoundError } from './errors.js';
import { Repacker } from './maintenance.js';
import type { ObjectReader } from './object-reader.js';
import { PackBuilder } from './pack-builder.js';
import { PriorityClaim } from './priority-claim.js';
import { RefUpdater } from './ref-update.js';
import { SpareFiles } from './spare-files.js';
import { type BlobChange, buildTree, type TreeStore } from './tree-builder.js';
import { TreeCache, type TreeEntries } from './tree-cache.js';
import { encodeTree, isTreeMode, parseTree, type TreeItem } from './tree-codec.js';
import type {
  ChainedCommit,
  CommitRequest,
  FileChange,
  PrepareChain,
  PrepareCommit,
  Signature,
} from './types.js';
import { pathSegments } from './validation.js';

export interface CommitWriterSettings {
  gitDir: string;
  branch: string;
  /** hex digits of an object id: 40 (SHA-1) or 64 (SHA-256) */
  idLength: number;
  committer: Signature;
  maxAttempts: number;
  /** Combine packs once this many were written here (0: never). */
  repackAfterPacks: number;
  onBackgroundError: (error: Error) => void;
  reader: ObjectReader;
  tip: () => string | null;
  /** Called when this writer moved the branch. */
  moved: () => void;
}

/** A writer that lost this many races in a row asks the others to let it through (see PriorityClaim). */
const CLAIM_PRIORITY_AFTER_LOSSES = 2;
const PRIORITY_CLAIM_TTL_MS = 2000;
/** Tree entries kept in memory (a few MB at most). */
const TREE_CACHE_ENTRIES = 50_000;
/** Trees of the last commits this writer made, so the next commit need not read its parent. */
const COMMIT_TREES_KEPT = 64;

/**
 * Builds commits in this process (objects hashed and compressed here, written as one pack per chain)
 * and publishes them with a compare-and-swap on the branch (see RefUpdater), so a commit runs no git
 * process. Trees read or written recently are cached, so a writer committing in a row reads no trees
 * from git.
 */
export class CommitWriter implements TreeStore {
  /** The objects of the chain being written. */
  private pack: PackBuilder | null = null;
  private readonly refUpdater: RefUpdater;
  /** Files for packs and their indexes, and for ref locks, created ahead of need. */
  private readonly packFiles: SpareFiles;
  private readonly lockFiles: SpareFiles;
  private readonly treeCache = new TreeCache(TREE_CACHE_ENTRIES);
  private readonly commitTrees = new Map<string, string>();
  private treesLoaded = false;
  private readonly repacker: Repacker;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly priority: PriorityClaim;

  constructor(private readonly settings: CommitWriterSettings) {
    // Two chains ahead.
    const spareDir = join(settings.gitDir, 'wikibot-spare-files');
    this.packFiles = new SpareFiles(spareDir, 'pack', 4, settings.onBackgroundError);
    this.lockFiles = new SpareFiles(spareDir, 'ref', 2, settings.onBackgroundError);
    this.refUpdater = new RefUpdater(
      settings.gitDir,
      `refs/heads/${settings.branch}`,
      this.lockFiles,
      settings.committer,
      settings.tip,
      settings.moved,
    );
    this.priority = new PriorityClaim(
      join(settings.gitDir, 'wikibot-commit-priority'),
      PRIORITY_CLAIM_TTL_MS,
    );
    this.repacker = new Repacker(settings.gitDir, settings.repackAfterPacks, settings.onBackgroundError);
  }

  /** One commit: a chain of one. */
  async commit(prepare: PrepareCommit): Promise<ChainedCommit> {
    const [commit] = await this.commitChain(async (tip) => [await prepare(tip)]);
    return commit!;
  }

  /**
   * Commits of this writer run one at a time (racing ourselves would only waste attempts); the
   * compare-and-swap settles races with other writers: a loser prepares again on the new tip.
   * A chain is published with one compare-and-swap, so it lands whole or not at all.
   */
  commitChain(prepare: PrepareChain): Promise<ChainedCommit[]> {
    const result = this.queue.then(() => this.chainWithRetries(prepare));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async chainWithRetries(prepare: PrepareChain): Promise<ChainedCommit[]> {
    const { maxAttempts, tip } = this.settings;
    try {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        await this.priority.yieldToOthers();
        const parent = tip();
        const requests = await prepare(parent);
        if (requests.length === 0) return [];
        // A cheap check of the ref file first: a race lost before publishing costs no objects.
        if (tip() === parent) {
          const chain = await this.writeChain(parent, requests);
          if (tip() === parent && this.publish(chain.at(-1)!.sha, parent)) return chain;
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
    if (!this.pack) throw new Error('trees are written only while a chain is built');
    const id = this.pack.add('tree', encodeTree(entries.values()));
    this.treeCache.set(id, entries);
    return id;
  }

  async close(): Promise<void> {
    await Promise.all([this.packFiles.close(), this.lockFiles.close(), this.repacker.idle()]);
  }

  /**
   * Writes blobs, trees and commit objects of a chain, each commit on the one before (the first on
   * `parent`), as one pack. Nothing is published yet.
   */
  private async writeChain(parent: string | null, requests: CommitRequest[]): Promise<ChainedCommit[]> {
    const checked = requests.map(checkRequest); // reject bad input before any write
    const pack = new PackBuilder(this.settings.idLength);
    this.pack = pack;
    try {
      const blobOf = new Map<FileChange, string>();
      for (const request of checked) {
        for (const change of request.changes) {
          if (change.content !== null) blobOf.set(change, pack.add('blob', contentBytes(change)));
        }
      }
      const chain: ChainedCommit[] = [];
      let base = parent;
      let baseTree = parent === null ? null : await this.treeOf(parent);
      if (baseTree !== null && !this.treesLoaded) {
        this.treesLoaded = true;
        await this.loadTrees(baseTree);
      }
      for (const request of checked) {
        const changes: BlobChange[] = request.changes.map((change) => ({
          path: change.path,
          blob: blobOf.get(change) ?? null,
        }));
        const tree = await buildTree(this, baseTree, changes);
        const commit = formatCommit({
          tree,
          parent: base,
          author: request.author,
          authorDate: request.date,
          committer: this.settings.committer,
          committerDate: request.date,
          message: request.message,
        });
        const sha = pack.add('commit', commit);
        this.rememberTree(sha, tree);
        chain.push({ sha, parent: base });
        base = sha;
        baseTree = tree;
      }
      pack.write(this.settings.gitDir, this.packFiles);
      this.repacker.packWritten();
      return chain;
    } finally {
      this.pack = null;
    }
  }

  /**
   * Reads the trees under `root` into the cache, a level at a time (one round trip to cat-file
   * each), as many as it holds: a write to any page then reads no tree from git (on a wiki of 10k
   * pages, three a write, each a wait for another process on a busy machine). Once per writer.
   */
  private async loadTrees(root: string): Promise<void> {
    let level = [root];
    let entries = 0;
    while (level.length > 0 && entries < TREE_CACHE_ENTRIES) {
      const trees = await Promise.all(level.map((sha) => this.readTree(sha)));
      level = [];
      for (const tree of trees) {
        entries += tree.size;
        for (const item of tree.values()) if (isTreeMode(item.mode)) level.push(item.sha);
      }
    }
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
  private publish(sha: string, parent: string | null): boolean {
    return this.refUpdater.update(sha, parent);
  }
}

/** A request as written: signature and message checked, paths valid, a date set. */
function checkRequest(request: CommitRequest): Required<CommitRequest> {
  const author = checkSignature(request?.author, 'author');
  const message = normalizeMessage(request?.message);
  if (!Array.isArray(request?.changes)) throw new GitInputError('commit request: changes must be an array');
  for (const change of request.changes) pathSegments(change?.path);
  return { author, message, changes: request.changes, date: request.date ?? new Date() };
}

function contentBytes(change: FileChange): Buffer {
  const { content } = change;
  if (Buffer.isBuffer(content)) return content;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  throw new GitInputError(`content of ${JSON.stringify(change?.path)} must be a string, a Buffer or null`);
}
