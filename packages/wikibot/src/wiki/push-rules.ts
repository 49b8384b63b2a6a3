import {
  attachmentNameProblem,
  normalizeAttachmentName,
  normalizePagePath,
  pagePathOfFile,
  pagePathProblem,
} from '../domain/pagePath.js';
import type { WikiLimits } from './limits.js';

/** What a `git push` must respect, the same rules the API writers enforce. */
export interface PushRules {
  /** The only branch a push may move. */
  branch: string;
  maxPageBytes: number;
  maxAttachmentBytes: number;
  /** The wiki's limits on what it holds (absent: unlimited). */
  limits?: WikiLimits;
}

/** A file the push adds or changes: its path, git mode and size in the new tip. */
export interface PushedFileFacts {
  path: string;
  mode: string;
  size: number;
}

const REGULAR_FILE_MODES = new Set(['100644', '100755']);

/**
 * Why a pushed file breaks the wiki's layout, or null when it fits: pages are `<page path>.md` with a
 * valid page path, attachments are files in a page's folder (`<page path>/<name>`) with a valid name;
 * no symlinks or submodules; sizes within the limits.
 */
export function pushedFileProblem(file: PushedFileFacts, rules: PushRules): string | null {
  const { path, mode, size } = file;
  if (!REGULAR_FILE_MODES.has(mode)) return `${path}: only regular files are allowed (mode ${mode})`;
  const page = pagePathOfFile(path);
  if (page !== null) {
    const problem = pagePathProblem(page) ?? storedAs(page, normalizePagePath(page));
    if (problem) return `${path}: ${problem}`;
    if (size > rules.maxPageBytes)
      return `${path}: page content too large: ${size} bytes (max ${rules.maxPageBytes})`;
    return null;
  }
  const slash = path.lastIndexOf('/');
  if (slash < 0) return `${path}: files outside a page's folder are not part of the wiki (pages end in .md)`;
  const folder = path.slice(0, slash);
  const name = path.slice(slash + 1);
  const problem =
    pagePathProblem(folder) ??
    storedAs(folder, normalizePagePath(folder)) ??
    attachmentNameProblem(name) ??
    storedAs(name, normalizeAttachmentName(name));
  if (problem) return `${path}: ${problem}`;
  if (size > rules.maxAttachmentBytes)
    return `${path}: attachment too large: ${size} bytes (max ${rules.maxAttachmentBytes})`;
  return null;
}

/** A name the wiki would store differently (surrounding spaces, another Unicode form) would not be found again. */
function storedAs(raw: string, stored: string): string | null {
  return raw === stored ? null : `'${raw}' must be written as the wiki stores it: '${stored}'`;
}

/**
 * Pushed files that collide, ignoring case, with another file or folder of the new tree (as the
 * index and case-insensitive checkouts see paths): "home.md" beside "Home.md", or "a/b" beside "A/B/c.png".
 */
export function caseClashes(pushed: readonly string[], tree: readonly string[]): string[] {
  const key = (path: string) => path.normalize('NFC').toLowerCase();
  const files = new Map<string, string[]>();
  const folders = new Map<string, string>();
  for (const path of tree) {
    files.set(key(path), [...(files.get(key(path)) ?? []), path]);
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth++) {
      const folder = segments.slice(0, depth).join('/');
      if (!folders.has(key(folder))) folders.set(key(folder), folder);
    }
  }
  const problems: string[] = [];
  for (const path of pushed) {
    const twin = files.get(key(path))?.find((other) => other !== path);
    const folder = folders.get(key(path));
    const segments = path.split('/');
    const fileAbove = segments
      .slice(1)
      .map((_, i) => segments.slice(0, i + 1).join('/'))
      .find((above) => files.has(key(above)));
    if (twin) problems.push(`${path}: clashes with "${twin}" (names differ only in case)`);
    else if (folder)
      problems.push(`${path}: clashes with the folder "${folder}" (names differ only in case)`);
    else if (fileAbove) problems.push(`${path}: "${files.get(key(fileAbove))![0]}" is a file, not a folder`);
  }
  return problems;
}
