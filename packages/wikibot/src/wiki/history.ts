import { pageFileName, pagePathOfFile } from '../domain/pagePath.js';
import type { GitRepository } from '../git/repository.js';
import type { CommitInfo, FileChange } from '../git/types.js';
import type { IndexedPage, WikiIndex } from '../index/wikiIndex.js';
import { type FileDiff, parseUnifiedDiff } from './diff.js';
import { Conflict, Invalid, NotFound } from './errors.js';
import { checkRevisionFormat, commitMessage } from './messages.js';
import type { ChangeOptions, CommitSummary } from './types.js';

/** The parts of a wiki these use cases read: its repository and its (fresh) index. */
export interface WikiStorage {
  readonly repo: GitRepository;
  readonly index: WikiIndex;
}

export interface CommitDetails extends CommitSummary {
  /** First parent, null for the first commit. */
  parent: string | null;
  files: FileDiff[];
  /** Files changed beyond those listed in `files` (a commit touching very many files). */
  moreFiles: number;
}

export interface PageComparison {
  path: string;
  from: CommitSummary;
  to: CommitSummary;
  diff: FileDiff;
}

export interface BlameBlock {
  commit: CommitSummary;
  /** Consecutive lines last changed by this commit. */
  lines: { number: number; text: string }[];
}

export interface RevertResult {
  /** The commit that was reverted. */
  reverted: string;
  /** The new commit. */
  revision: string;
  /** Pages whose content the revert changed. */
  pages: string[];
}

/** Diffs shown per commit; the rest are counted. Each costs a git call. */
const MAX_FILE_DIFFS = 50;

/** One commit: who, when, why, and what changed in every file (against its first parent). */
export async function commitDetails(wiki: WikiStorage, revision: string): Promise<CommitDetails> {
  const sha = await resolveRevision(wiki, revision);
  const [info, parents] = await Promise.all([wiki.repo.commitInfo(sha), wiki.repo.commitParents(sha)]);
  if (!info || !parents) throw new NotFound(`Revision not found: ${revision}`);
  const parent = parents[0] ?? null;
  const changes = await wiki.repo.diffTrees(parent, sha);
  const files: FileDiff[] = [];
  for (const change of changes.slice(0, MAX_FILE_DIFFS)) {
    files.push({
      file: change.path,
      page: pagePathOfFile(change.path),
      ...parseUnifiedDiff(await wiki.repo.diff(parent, sha, [change.path])),
    });
  }
  return { ...summary(info), parent, files, moreFiles: Math.max(0, changes.length - MAX_FILE_DIFFS) };
}

/** How a page changed between two revisions (either order; each may be any commit of the wiki). */
export async function comparePage(
  wiki: WikiStorage,
  path: string,
  from: string,
  to: string,
): Promise<PageComparison> {
  const page = await currentPage(wiki, path);
  const [fromSha, toSha] = await Promise.all([resolveRevision(wiki, from), resolveRevision(wiki, to)]);
  const file = pageFileName(page.path);
  const [fromInfo, toInfo, text] = await Promise.all([
    wiki.repo.commitInfo(fromSha),
    wiki.repo.commitInfo(toSha),
    wiki.repo.diff(fromSha, toSha, [file]),
  ]);
  if (!fromInfo || !toInfo) throw new NotFound('Revision not found');
  return {
    path: page.path,
    from: summary(fromInfo),
    to: summary(toInfo),
    diff: { file, page: page.path, ...parseUnifiedDiff(text) },
  };
}

/** Who last changed each line of a page, in blocks of consecutive lines from the same commit. */
export async function blamePage(
  wiki: WikiStorage,
  path: string,
  revision?: string,
): Promise<{ path: string; revision: string; blocks: BlameBlock[] }> {
  const page = await currentPage(wiki, path);
  const at = revision === undefined ? page.lastCommit : await resolveRevision(wiki, revision);
  const file = pageFileName(page.path);
  if ((await wiki.repo.readFileAt(at, file)) === null)
    throw new NotFound(`Page not found at revision ${at.slice(0, 7)}: ${page.path}`);
  const lines = await wiki.repo.blame(at, file);
  const commits = new Map<string, CommitSummary>();
  const blocks: BlameBlock[] = [];
  for (const line of lines) {
    let commit = commits.get(line.sha);
    if (!commit) {
      const info = wiki.index.commitInfo(line.sha) ?? (await wiki.repo.commitInfo(line.sha));
      commit = info
        ? summary(info)
        : { revision: line.sha, author: line.authorName, date: line.date, message: '' };
      commits.set(line.sha, commit);
    }
    const last = blocks.at(-1);
    const entry = { number: line.lineNumber, text: line.content };
    if (last && last.commit.revision === line.sha) last.lines.push(entry);
    else blocks.push({ commit, lines: [entry] });
  }
  return { path: page.path, revision: at, blocks };
}

/**
 * The change that undoes one commit: every file it touched goes back to its parent's version. Refused
 * when a file has changed since (a later commit would be silently overwritten) and for merge commits.
 * Run inside the wiki's commit loop, so the check holds for the tip the revert lands on.
 */
export async function prepareRevert(wiki: WikiStorage, revision: string, options: ChangeOptions) {
  const sha = await resolveRevision(wiki, revision);
  const [info, parents] = await Promise.all([wiki.repo.commitInfo(sha), wiki.repo.commitParents(sha)]);
  if (!info || !parents) throw new NotFound(`Revision not found: ${revision}`);
  if (parents.length > 1) throw new Invalid(`Cannot revert ${sha.slice(0, 7)}: it is a merge commit`);
  const parent = parents[0] ?? null;
  const touched = await wiki.repo.diffTrees(parent, sha);
  if (touched.length === 0) throw new Invalid(`Nothing to revert: ${sha.slice(0, 7)} changed no files`);
  const changes: FileChange[] = [];
  for (const change of touched) {
    const before = parent === null ? null : await wiki.repo.readFileAt(parent, change.path);
    const undone = await undoInFile(wiki, sha, change.path, change.sha, before);
    if (undone !== undefined) changes.push({ path: change.path, content: undone });
  }
  if (changes.length === 0) throw new Invalid(`Nothing to revert: ${sha.slice(0, 7)} is already undone`);
  const subject = info.message.split('\n', 1)[0] ?? '';
  return {
    changes,
    message: commitMessage(options, 'Revert', `${sha.slice(0, 7)} (${subject})`),
    result: (newRevision: string): RevertResult => ({
      reverted: sha,
      revision: newRevision,
      pages: changes.map((c) => pagePathOfFile(c.path)).filter((p): p is string => p !== null),
    }),
  };
}

/**
 * The content that undoes one commit's change to one file (null: delete it; undefined: already undone).
 * A file changed again since gets the inverse merged three-way into what it is now.
 */
async function undoInFile(
  wiki: WikiStorage,
  sha: string,
  path: string,
  blobAfter: string | null,
  before: Buffer | null,
): Promise<Buffer | string | null | undefined> {
  const nowBlob = wiki.index.file(path)?.blob ?? null;
  if (nowBlob === blobAfter) return before;
  const now = nowBlob === null ? null : await wiki.repo.readBlob(nowBlob);
  if (sameContent(now, before)) return undefined;
  const short = sha.slice(0, 7);
  const after = blobAfter === null ? null : await wiki.repo.readBlob(blobAfter);
  if (now === null || before === null || after === null) {
    const what =
      now === null
        ? 'deleted'
        : before === null
          ? 'created by it and changed'
          : 'deleted by it and created again';
    throw new Conflict(
      `Cannot revert ${short}: ${path} was ${what} since, so its change cannot be undone automatically`,
    );
  }
  if ([now, before, after].some(isBinary)) {
    throw new Conflict(
      `Cannot revert ${short}: ${path} changed again since then and is not text, so it cannot be merged`,
    );
  }
  const merge = await wiki.repo.mergeText(
    { base: after.toString('utf8'), theirs: before.toString('utf8'), mine: now.toString('utf8') },
    { mine: 'current', base: short, theirs: `before ${short}` },
  );
  if (merge.conflicts > 0) {
    throw new Conflict(
      `Cannot revert ${short}: ${path} changed again since then in the same lines (${merge.conflicts} overlapping ${merge.conflicts === 1 ? 'change' : 'changes'}). Edit the page by hand to undo what is still wanted.`,
    );
  }
  return merge.text;
}

function sameContent(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** Git's own test: a NUL in the first 8000 bytes. */
function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

async function currentPage(wiki: WikiStorage, path: string): Promise<IndexedPage> {
  await wiki.index.ensureFresh();
  const page = wiki.index.page(path);
  if (!page) throw new NotFound(`Page not found: ${path}`);
  return page;
}

async function resolveRevision(wiki: WikiStorage, revision: string): Promise<string> {
  checkRevisionFormat(revision);
  const sha = await wiki.repo.resolveCommit(revision);
  if (!sha) throw new NotFound(`Revision not found: ${revision}`);
  return sha;
}

function summary(c: CommitInfo): CommitSummary {
  return { revision: c.sha, author: c.authorName, date: c.date, message: c.message };
}
