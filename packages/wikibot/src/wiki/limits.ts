import { pagePathOfFile } from '../domain/pagePath.js';

/** What one wiki may hold; absent (or 0) means unlimited. */
export interface WikiLimits {
  pages?: number;
  /** Bytes of the bare repository's object store (every revision, compressed). */
  repoBytes?: number;
  /** Bytes of the current attachments, together. */
  attachmentBytes?: number;
  attachments?: number;
}

/** What one wiki holds now. */
export interface WikiUsage {
  pages: number;
  repoBytes: number;
  attachmentBytes: number;
  attachments: number;
}

/** How a change moves the usage; `addedBytes` is the content it writes (what the repository may grow by). */
export interface UsageDelta {
  pages: number;
  attachments: number;
  attachmentBytes: number;
  /** Net change of the current files' bytes, pages and attachments. */
  contentBytes: number;
  addedBytes: number;
}

const NO_CHANGE: UsageDelta = {
  pages: 0,
  attachments: 0,
  attachmentBytes: 0,
  contentBytes: 0,
  addedBytes: 0,
};

/** A file of the current tree as a change sees it: its size, or undefined when it does not exist. */
export type SizeOf = (path: string) => number | undefined;

/** The delta of writing (content) or deleting (null) each file, against the sizes the files have now. */
export function deltaOf(
  changes: readonly { path: string; size: number | null }[],
  sizeOf: SizeOf,
): UsageDelta {
  const delta = { ...NO_CHANGE };
  for (const { path, size } of changes) {
    const before = sizeOf(path);
    const existed = before !== undefined ? 1 : 0;
    const exists = size !== null ? 1 : 0;
    const bytes = (size ?? 0) - (before ?? 0);
    if (pagePathOfFile(path) !== null) delta.pages += exists - existed;
    else {
      delta.attachments += exists - existed;
      delta.attachmentBytes += bytes;
    }
    delta.contentBytes += bytes;
    delta.addedBytes += size ?? 0;
  }
  return delta;
}

/** Whether any limit is set, i.e. whether usage must be measured at all. */
export function hasLimits(limits: WikiLimits): boolean {
  return Boolean(limits.pages || limits.repoBytes || limits.attachmentBytes || limits.attachments);
}

/** Which figures of the usage a change must be checked against: only what it grows and is limited. */
export function figuresToCheck(delta: UsageDelta, limits: WikiLimits) {
  const pages = Boolean(limits.pages) && delta.pages > 0;
  const attachmentCount = Boolean(limits.attachments) && delta.attachments > 0;
  const attachmentBytes = Boolean(limits.attachmentBytes) && delta.attachmentBytes > 0;
  const repoBytes = Boolean(limits.repoBytes) && delta.contentBytes > 0;
  return {
    pages,
    attachments: attachmentCount || attachmentBytes,
    attachmentCount,
    attachmentBytes,
    repoBytes,
  };
}

/**
 * The limits a change would break, one message each naming the limit and the numbers. Only what a
 * change grows is checked (the other figures of `usage` are not read), so deletes and edits that do
 * not grow past a limit pass at the limit. The repository's growth is estimated as the content
 * written (git stores it compressed, so at most that).
 */
export function limitProblems(usage: WikiUsage, delta: UsageDelta, limits: WikiLimits): string[] {
  const check = figuresToCheck(delta, limits);
  const problems: string[] = [];
  const over = (checked: boolean, limit: number | undefined, total: number, what: [string, string]) => {
    if (checked && limit && total > limit) {
      problems.push(
        `${what[0]} limit reached: the wiki would have ${total} ${what[1]}, its limit is ${limit}`,
      );
    }
  };
  over(check.pages, limits.pages, usage.pages + delta.pages, ['Page', 'pages']);
  over(check.attachmentCount, limits.attachments, usage.attachments + delta.attachments, [
    'Attachment count',
    'attachments',
  ]);
  over(check.attachmentBytes, limits.attachmentBytes, usage.attachmentBytes + delta.attachmentBytes, [
    'Attachment size',
    'bytes of attachments',
  ]);
  over(check.repoBytes, limits.repoBytes, usage.repoBytes + delta.addedBytes, [
    'Repository size',
    'bytes in its repository (at most)',
  ]);
  return problems;
}
