/**
 * The contract of the git layer: a bare repository driven through the git CLI.
 * `git/` knows blobs, trees, commits and refs; it knows nothing about pages.
 */

/** Identity recorded on a commit. */
export interface Signature {
  name: string;
  email: string;
}

/** One file change in a commit. `content: null` deletes the path. Paths use `/`, no leading slash. */
export interface FileChange {
  path: string;
  content: Buffer | string | null;
}

export interface CommitInfo {
  /** 40-hex commit id */
  sha: string;
  authorName: string;
  authorEmail: string;
  /** author date, ISO 8601 with offset */
  date: string;
  /** full message, trailing newline trimmed */
  message: string;
}

export interface CommitWithFiles extends CommitInfo {
  /** paths touched by the commit (first-parent diff; renames are delete + add) */
  files: string[];
}

export interface TreeEntry {
  /** full path from the root */
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** size in bytes for blobs */
  size?: number;
}

/** A change between two commits, as `git diff-tree -r --no-renames` reports it. */
export interface TreeChange {
  status: 'A' | 'M' | 'D' | 'T';
  path: string;
  /** blob id after the change; null for deletions */
  sha: string | null;
}

export interface BlameLine {
  sha: string;
  authorName: string;
  date: string;
  lineNumber: number;
  content: string;
}

/**
 * `prepare` receives the current tip (null for an empty repository) and returns the changes to commit,
 * or throws to abort. It is called again with the new tip when another writer moved the ref first,
 * so a caller re-checks its preconditions (e.g. a page revision) against each tip it is shown.
 */
export type PrepareCommit = (tip: string | null) => Promise<CommitRequest> | CommitRequest;

/**
 * Like `PrepareCommit`, for a chain of commits published together: the requests, in order, each
 * built on the one before (an empty list commits nothing). Called again, whole, on a new tip.
 */
export type PrepareChain = (tip: string | null) => Promise<CommitRequest[]> | CommitRequest[];

/** A commit made, with the commit it was built on (null for the first commit of a repository). */
export interface ChainedCommit {
  sha: string;
  parent: string | null;
}

export interface CommitRequest {
  changes: FileChange[];
  message: string;
  author: Signature;
  /** Author and committer date (whole seconds are kept); default: now. */
  date?: Date;
}
