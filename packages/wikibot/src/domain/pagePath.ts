import { type Frontmatter, frontmatterTitle } from './frontmatter.js';
import { otterwikiTitleCase } from './otterwikiTitle.js';
import { parseBodyHeadings } from './sections.js';
import { utf8Length } from './text.js';

/** Pages are `<path>.md` files; everything else in the repository is an attachment. */
export const PAGE_EXTENSION = '.md';
export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_BYTES = 1024;
/** First segments that belong to the server's own routes (compared case-insensitively). */
export const RESERVED_FIRST_SEGMENTS: readonly string[] = ['-', 'api', 'mcp', '.well-known'];

const LONE_SURROGATE = /\p{Surrogate}/u;
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * A page path as it is stored and looked up: Unicode NFC (so "Café" typed either way is one page),
 * white space around each segment trimmed ("Notes / Day 1 " → "Notes/Day 1").
 */
export function normalizePagePath(path: string): string {
  return path
    .split('/')
    .map((segment) => segment.trim())
    .join('/')
    .normalize('NFC');
}

/** An attachment file name as it is stored: NFC, surrounding white space trimmed. */
export function normalizeAttachmentName(name: string): string {
  return name.trim().normalize('NFC');
}

/**
 * Why a requested page path is rejected (SPEC §2), or null when it is valid. The message names
 * the rule, e.g. "Invalid page path: segment '..' is not allowed". The rules apply to the path as
 * normalizePagePath stores it; a segment of only white space is refused rather than trimmed away.
 * Case is kept as written; a path ending in ".md" is allowed ("Foo.md" is stored as "Foo.md.md").
 */
export function pagePathProblem(path: string): string | null {
  const problem = pathProblem(path);
  return problem === null ? null : `Invalid page path: ${problem}`;
}

function pathProblem(raw: string): string | null {
  if (raw === '') return 'the path is empty';
  const characters = characterProblem(raw);
  if (characters) return characters;
  if (raw.trim() === '') return 'the name is only white space';
  const blank = raw.split('/').find((segment) => segment !== '' && segment.trim() === '');
  if (blank !== undefined) return `segment '${blank}' is only white space`;
  const path = normalizePagePath(raw);
  if (path.startsWith('/')) return "it must not start with '/'";
  if (path.endsWith('/')) return "it must not end with '/'";
  const bytes = utf8Length(path);
  if (bytes > MAX_PATH_BYTES)
    return `the path is ${bytes} bytes long, the limit is ${MAX_PATH_BYTES} bytes (UTF-8)`;
  const segments = path.split('/');
  const first = segments[0]!.toLowerCase();
  if (RESERVED_FIRST_SEGMENTS.includes(first))
    return `'${segments[0]}' is reserved and cannot be the first segment`;
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
  }
  return null;
}

/** Problems shared by page paths and attachment names. */
function characterProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'it contains invalid Unicode (a lone surrogate)';
  if (CONTROL_CHARACTER.test(text)) return 'NUL and control characters are not allowed';
  if (text.includes('\\')) return 'backslash is not allowed';
  return null;
}

function segmentProblem(segment: string): string | null {
  if (segment === '') return 'empty segments (//) are not allowed';
  if (segment === '.' || segment === '..') return `segment '${segment}' is not allowed`;
  if (segment.startsWith('.')) return `segment '${segment}' must not start with '.'`;
  const bytes = utf8Length(segment);
  if (bytes > MAX_SEGMENT_BYTES) {
    return `segment '${shorten(segment)}' is ${bytes} bytes long, the limit is ${MAX_SEGMENT_BYTES} bytes (UTF-8)`;
  }
  return null;
}

function shorten(text: string): string {
  const characters = [...text];
  return characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : text;
}

/** The key for case-insensitive page lookups: NFC-normalized, lower case. */
export function pageKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/** "A/B" → "A/B.md". */
export function pageFileName(path: string): string {
  return `${path}${PAGE_EXTENSION}`;
}

/** "A/B.md" → "A/B"; null for files that are not pages (no ".md", or nothing before it). */
export function pagePathOfFile(file: string): string | null {
  if (!file.endsWith(PAGE_EXTENSION)) return null;
  const path = file.slice(0, -PAGE_EXTENSION.length);
  return path === '' || path.endsWith('/') ? null : path;
}

/** The folder holding a page's attachments (the Otterwiki layout): "A/B" → "A/B". */
export function attachmentFolder(path: string): string {
  return path;
}

/** Why an attachment file name is unsafe, or null when it is fine. */
export function attachmentNameProblem(name: string): string | null {
  const problem = attachmentProblem(name);
  return problem === null ? null : `Invalid attachment filename: ${problem}`;
}

function attachmentProblem(raw: string): string | null {
  if (raw === '') return 'the name is empty';
  const characters = characterProblem(raw);
  if (characters) return characters;
  if (raw.trim() === '') return 'the name is only white space';
  const name = normalizeAttachmentName(raw);
  if (name.includes('/')) return "'/' is not allowed";
  if (name === '.' || name === '..') return `'${name}' is not allowed`;
  if (name.startsWith('.')) return "it must not start with '.'";
  const bytes = utf8Length(name);
  if (bytes > MAX_SEGMENT_BYTES)
    return `the name is ${bytes} bytes long, the limit is ${MAX_SEGMENT_BYTES} bytes (UTF-8)`;
  if (name.toLowerCase().endsWith(PAGE_EXTENSION))
    return `'${PAGE_EXTENSION}' files are pages, not attachments`;
  return null;
}

/**
 * A page's display name: its frontmatter `title`; else, for an all-lowercase file name,
 * Otterwiki's rule (the first heading when it equals the name case-insensitively, otherwise the
 * name title-cased as Otterwiki's titleSs does); else the file name as written.
 */
export function displayName(path: string, frontmatter: Frontmatter | null, body: string): string {
  return frontmatterTitle(frontmatter) ?? displaySegment(lastSegment(path), headingHint(body));
}

/**
 * Otterwiki's display of a whole page path (get_pagename with full=True): every all-lowercase
 * segment title-cased, mixed-case segments kept, and the last segment spelled like the body's
 * first heading when they are equal case-insensitively. "nas/setup" → "Nas/Setup".
 */
export function displayPath(path: string, body = ''): string {
  const segments = path.split('/');
  const hint = headingHint(body);
  return segments
    .map((segment, index) => displaySegment(segment, index === segments.length - 1 ? hint : null))
    .join('/');
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Otterwiki's get_pagename for one segment, for a repository that does not retain case. */
function displaySegment(segment: string, hint: string | null): string {
  if (segment !== segment.toLowerCase()) return segment;
  if (hint !== null && hint !== segment && hint.toLowerCase() === segment) return hint;
  return otterwikiTitleCase(segment);
}

/** Otterwiki reads the page-name hint from the first heading in the page's first 512 characters. */
const HEADING_HINT_WINDOW = 512;

function headingHint(body: string): string | null {
  const window = body.slice(0, HEADING_HINT_WINDOW);
  const [first] = parseBodyHeadings(window);
  return first ? first.title : null;
}
