import { mkdir, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseBlamePorcelain } from './blame-parser.js';
import { checkSignature, parseCommit } from './commit-object.js';
import { CommitWriter } from './commit-writer.js';
import { GitError, GitInputError, GitObjectNotFoundError, NotAGitRepositoryError } from './errors.js';
import { LOG_FORMAT, LogParser } from './log-parser.js';
import { type MergedText, type MergeLabels, type MergeSides, mergeFile } from './merge-file.js';
import { ObjectReader } from './object-reader.js';
import { RefReader, readHeadBranch } from './refs.js';
import { runGit } from './run-git.js';
import { parseDiffTree, parseLsTree } from './tree-listings.js';
import { TurnMemo } from './turnMemo.js';
import type {
  BlameLine,
  ChainedCommit,
  CommitInfo,
  CommitWithFiles,
  PrepareChain,
  PrepareCommit,
  Signature,
  TreeChange,
  TreeEntry,
} from './types.js';
import { isObjectIdArgument, objectIdArgument, pathSegments } from './validation.js';

export interface GitRepositoryOptions {
  /** Committer of every commit this process makes. Default: wikibot <wikibot@localhost>. */
  committer?: Signature;
  /** Compare-and-swap attempts before a commit gives up. Default: 50. */
  maxCommitAttempts?: number;
  /** Combine packs in the background once this many were written here; 0 never. Default: 50. */
  repackAfterPacks?: number;
  /** Failures of background maintenance (repack). Default: `process.emitWarning`. */
  onBackgroundError?: (error: Error) => void;
}

export interface LogOptions {
  /** Only commits touching this exact path (a file, or a directory for everything below it). */
  path?: string;
  limit?: number;
  skip?: number;
  /** Start from this commit instead of the branch tip. */
  from?: string;
  /** `<a>..<b>`: commits reachable from b but not from a. Wins over `from`. */
  range?: string;
  /** Fill `files` with the paths each commit touched (against its first parent). */
  withFiles?: boolean;
  /** Oldest first. Applied after limit/skip, as in git: the newest `limit` commits, oldest first. */
  reverse?: boolean;
}

const DEFAULT_COMMITTER: Signature = { name: 'wikibot', email: 'wikibot@localhost' };
const EMPTY_TREE: Record<number, string> = {
  40: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  64: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};
const RANGE = /^([0-9a-f]{4,64})\.\.([0-9a-f]{4,64})$/i;
const BRANCH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * A bare git repository driven through the git CLI. Reads go through one long-lived
 * `git cat-file --batch`; `tip()` reads the ref files; commits are built with plumbing and published
 * with a compare-and-swap on the branch, so several processes can write one repository.
 */
export class GitRepository {
  private readonly refs: RefReader;
  private readonly recentTipMemo = new TurnMemo(() => this.readTip());
  private readonly reader: ObjectReader;
  private readonly writer: CommitWriter;

  private constructor(
    readonly dir: string,
    readonly branch: string,
    /** hex digits of an object id: 40 (SHA-1) or 64 (SHA-256) */
    private readonly idLength: number,
    options: GitRepositoryOptions,
  ) {
    this.refs = new RefReader(dir);
    this.reader = new ObjectReader(dir);
    this.writer = new CommitWriter({
      gitDir: dir,
      branch,
      idLength,
      committer: checkSignature(options.committer ?? DEFAULT_COMMITTER, 'committer'),
      maxAttempts: options.maxCommitAttempts ?? 50,
      repackAfterPacks: options.repackAfterPacks ?? 50,
      onBackgroundError: options.onBackgroundError ?? ((error) => process.emitWarning(error)),
      reader: this.reader,
      tip: () => this.tip(),
      moved: () => this.recentTipMemo.forget(),
    });
  }

  /** Create a bare repository (default branch `main`) if `dir` is missing or empty, else open it. */
  static async init(
    dir: string,
    opts: GitRepositoryOptions & { branch?: string } = {},
  ): Promise<GitRepository> {
    const gitDir = resolve(dir);
    const branch = opts.branch ?? 'main';
    if (!isBranchName(branch)) throw new GitInputError(`invalid branch name ${JSON.stringify(branch)}`);
    if (!(await isMissingOrEmpty(gitDir))) return GitRepository.open(gitDir, opts);
    await mkdir(gitDir, { recursive: true });
    await runGit(gitDir, ['init', '--quiet', '--bare', `--initial-branch=${branch}`]);
    return GitRepository.open(gitDir, opts);
  }

  /** Open an existing bare repository; a `NotAGitRepositoryError` if `dir` is not one. */
  static async open(dir: string, opts: GitRepositoryOptions = {}): Promise<GitRepository> {
    const gitDir = resolve(dir);
    let answer: string[];
    try {
      const out = await runGit(gitDir, ['rev-parse', '--is-bare-repository', '--show-object-format']);
      answer = out.toString('utf8').trim().split('\n');
    } catch (error) {
      if (error instanceof GitError) throw new NotAGitRepositoryError(gitDir, error.stderr || error.message);
      throw error;
    }
    const [bare, format] = answer;
    if (bare !== 'true') throw new NotAGitRepositoryError(gitDir, 'it is not a bare repository');
    const idLength = format === 'sha256' ? 64 : 40;
    let branch: string;
    try {
      branch = readHeadBranch(gitDir);
    } catch (error) {
      throw new NotAGitRepositoryError(gitDir, (error as Error).message);
    }
    return new GitRepository(gitDir, branch, idLength, opts);
  }

  /** The branch tip, or null for an empty repository. Reads ref files; spawns nothing. */
  tip(): string | null {
    return this.recentTipMemo.set(this.readTip()).value;
  }

  private readTip(): string | null {
    return this.refs.resolve(`refs/heads/${this.branch}`);
  }

  /**
   * The branch tip read at most once per turn of the event loop (see {@link TurnMemo}), for the check
   * before every request: another process's commit is seen from the next turn on; this process's
   * commits and exact reads ({@link tip}) at once.
   */
  recentTip(): string | null {
    return this.recentTipMemo.get();
  }

  /** Blob content; a `GitObjectNotFoundError` if there is no such blob. */
  async readBlob(sha: string): Promise<Buffer> {
    const id = objectIdArgument(sha, 'blob id');
    const object = await this.reader.read(id);
    if (object?.type !== 'blob') throw new GitObjectNotFoundError(`blob ${id} not found`);
    return object.content;
  }

  /** Content of the file `path` at `commit`; null if there is no such file (or commit). */
  async readFileAt(commit: string, path: string): Promise<Buffer | null> {
    const id = objectIdArgument(commit, 'commit');
    const object = await this.reader.read(`${id}:${pathSegments(path).join('/')}`);
    return object?.type === 'blob' ? object.content : null;
  }

  /** Three-way merge of two edits of one text (`git merge-file`). */
  mergeText(sides: MergeSides, labels: MergeLabels): Promise<MergedText> {
    return mergeFile(this.dir, sides, labels);
  }

  /** Every blob in the tree of `commit`, recursively, with its size. */
  async listFiles(commit: string): Promise<TreeEntry[]> {
    const id = objectIdArgument(commit, 'commit');
    return parseLsTree(await runGit(this.dir, ['ls-tree', '-r', '-l', '-z', '--full-tree', id]));
  }

  /** File changes from `from` (null: the empty tree) to `to`; renames are a deletion plus an addition. */
  async diffTrees(from: string | null, to: string): Promise<TreeChange[]> {
    const toId = objectIdArgument(to, 'commit');
    if (from === null) {
      const files = await this.listFiles(toId);
      return files.map((file) => ({ status: 'A', path: file.path, sha: file.sha }));
    }
    const fromId = objectIdArgument(from, 'commit');
    return parseDiffTree(await runGit(this.dir, ['diff-tree', '-r', '-z', '--no-renames', fromId, toId]));
  }

  /** Publish one commit; see `CommitWriter.commit`. Errors thrown by `prepare` propagate unchanged. */
  commit(prepare: PrepareCommit): Promise<ChainedCommit> {
    return this.writer.commit(prepare);
  }

  /** Publish a chain of commits with one compare-and-swap; see `CommitWriter.commitChain`. */
  commitChain(prepare: PrepareChain): Promise<ChainedCommit[]> {
    return this.writer.commitChain(prepare);
  }

  /** Commits newest first (see `LogOptions`), parsed as git streams them. */
  async log(opts: LogOptions = {}): Promise<CommitWithFiles[]> {
    const revision = this.logRevision(opts);
    if (revision === null) return [];
    const args = ['--literal-pathspecs', 'log', '-z', LOG_FORMAT, '--no-show-signature', '--no-mailmap'];
    if (opts.withFiles) args.push('--name-only', '--no-renames', '--diff-merges=first-parent');
    if (opts.limit !== undefined) args.push(`--max-count=${count(opts.limit, 'limit')}`);
    if (opts.skip !== undefined) args.push(`--skip=${count(opts.skip, 'skip')}`);
    if (opts.reverse) args.push('--reverse');
    args.push('--end-of-options', revision, '--');
    if (opts.path !== undefined) args.push(pathSegments(opts.path).join('/'));
    const parser = new LogParser();
    await runGit(this.dir, args, { onStdout: (chunk) => parser.push(chunk) });
    return parser.end();
  }

  /** Author, date and message of a commit; null if `sha` is not a commit id in this repository. */
  async commitInfo(sha: string): Promise<CommitInfo | null> {
    if (!isObjectIdArgument(sha)) return null;
    const object = await this.reader.read(sha.toLowerCase());
    if (object?.type !== 'commit') return null;
    const { authorName, authorEmail, date, message } = parseCommit(object.sha, object.content);
    return { sha: object.sha, authorName, authorEmail, date, message };
  }

  /** The parents of a commit (none for a root commit), or null when it is not a commit. */
  async commitParents(sha: string): Promise<string[] | null> {
    if (!isObjectIdArgument(sha)) return null;
    const object = await this.reader.read(sha.toLowerCase());
    if (object?.type !== 'commit') return null;
    return parseCommit(object.sha, object.content).parents;
  }

  /**
   * The full id of the commit a user-supplied revision names: a full id or a unique prefix of at least
   * 4 hex digits. Anything else (`HEAD~1`, `--all`, branch names) and unknown or ambiguous ids: null.
   */
  async resolveCommit(rev: string): Promise<string | null> {
    if (!isObjectIdArgument(rev)) return null;
    const object = await this.reader.read(`${rev.toLowerCase()}^{commit}`);
    return object?.type === 'commit' ? object.sha : null;
  }

  /** How many commits `to` has that `from` (null: none) has not. */
  async countCommits(from: string | null, to: string): Promise<number> {
    const range =
      from === null
        ? objectIdArgument(to, 'commit')
        : `${objectIdArgument(from, 'commit')}..${objectIdArgument(to, 'commit')}`;
    const out = await runGit(this.dir, ['rev-list', '--count', '--end-of-options', range, '--']);
    return Number(out.toString('utf8').trim());
  }

  /** Unified diff from `from` (null: the empty tree) to `to`, optionally limited to exact paths. */
  async diff(from: string | null, to: string, paths?: string[]): Promise<string> {
    const fromId = from === null ? EMPTY_TREE[this.idLength]! : objectIdArgument(from, 'commit');
    const toId = objectIdArgument(to, 'commit');
    const args = [
      '--literal-pathspecs',
      'diff-tree',
      '-r',
      '-p',
      '--no-renames',
      '--no-ext-diff',
      '--no-textconv',
    ];
    args.push(fromId, toId, '--', ...(paths ?? []).map((path) => pathSegments(path).join('/')));
    return (await runGit(this.dir, args)).toString('utf8');
  }

  /** Who last changed each line of `path` as of `commit`; a `GitObjectNotFoundError` if there is no such file. */
  async blame(commit: string, path: string): Promise<BlameLine[]> {
    const id = objectIdArgument(commit, 'commit');
    const file = pathSegments(path).join('/');
    try {
      return parseBlamePorcelain(await runGit(this.dir, ['blame', '--porcelain', id, '--', file]));
    } catch (error) {
      if (error instanceof GitError && /no such path|bad revision/i.test(error.stderr)) {
        throw new GitObjectNotFoundError(`no file ${JSON.stringify(file)} at commit ${id}`);
      }
      throw error;
    }
  }

  /** Ends the long-lived git processes once they have answered what they were asked. */
  async close(): Promise<void> {
    await Promise.all([this.reader.close(), this.writer.close()]);
  }

  /** The revision argument for `log`: validated hex only, so git never reads it as an option or ref. */
  private logRevision(opts: LogOptions): string | null {
    if (opts.range !== undefined) {
      const match = RANGE.exec(opts.range);
      if (!match)
        throw new GitInputError(
          `log range must be "<commit id>..<commit id>", got ${JSON.stringify(opts.range)}`,
        );
      return `${match[1]!.toLowerCase()}..${match[2]!.toLowerCase()}`;
    }
    if (opts.from !== undefined) return objectIdArgument(opts.from, 'log start');
    return this.tip();
  }
}

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new GitInputError(`log ${what} must be a whole number >= 0, got ${value}`);
  }
  return value;
}

function isBranchName(name: string): boolean {
  const segments = name.split('/');
  return (
    segments.every((segment) => BRANCH_SEGMENT.test(segment) && !segment.endsWith('.lock')) &&
    !name.includes('..') &&
    !name.endsWith('.')
  );
}

async function isMissingOrEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    throw error;
  }
}
