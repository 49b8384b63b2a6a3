import { parse } from 'yaml';
import { splitWords } from './text.js';

/** A page's YAML frontmatter: a mapping of plain JSON-like values. */
export type Frontmatter = Record<string, unknown>;

/**
 * The leading `---` … `---` block, as otterwiki-api's FRONTMATTER_RE finds it (CRLF tolerated as in
 * otterwiki-semantic-search), except that the closing `---` must be a line of its own: upstream
 * also accepted `---foo` and swallowed the first body line's indentation.
 */
const FRONTMATTER_BLOCK = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * YAML 1.2 core schema, so `2024-01-01` and `yes` stay strings; duplicate keys keep the last value
 * and merge keys work, as with PyYAML's safe_load. logLevel 'error' throws on errors without
 * printing warnings ('silent' would swallow errors too).
 */
const YAML_OPTIONS = { schema: 'core', uniqueKeys: false, merge: true, logLevel: 'error' } as const;

/**
 * Split `content` into its frontmatter and body. Invalid YAML, or YAML that is not a mapping,
 * counts as no frontmatter: `frontmatter` is null and `body` is the whole content.
 */
export function parseFrontmatter(content: string): { frontmatter: Frontmatter | null; body: string } {
  const block = FRONTMATTER_BLOCK.exec(content);
  if (!block) return { frontmatter: null, body: content };
  const frontmatter = parseBlock(block[1] ?? '');
  if (!frontmatter) return { frontmatter: null, body: content };
  return { frontmatter, body: content.slice(block[0].length) };
}

/**
 * Blocks parsed lately (a page write parses its page three times: its checks, the index, the
 * chunks for semantic search), each the mapping it holds or null; callers get a copy of their own.
 */
const recentBlocks = new Map<string, Frontmatter | null>();
const RECENT_BLOCKS_KEPT = 32;

function parseBlock(yaml: string): Frontmatter | null {
  let frontmatter = recentBlocks.get(yaml);
  if (frontmatter === undefined) {
    frontmatter = parseMapping(yaml);
    recentBlocks.set(yaml, frontmatter);
    if (recentBlocks.size > RECENT_BLOCKS_KEPT) recentBlocks.delete(recentBlocks.keys().next().value!);
  }
  return frontmatter && structuredClone(frontmatter);
}

function parseMapping(yaml: string): Frontmatter | null {
  let data: unknown;
  try {
    data = parse(yaml, YAML_OPTIONS);
  } catch {
    return null;
  }
  return isMapping(data) ? (toPlainData(data) as Frontmatter) : null;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainObject(value);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Turn what explicit YAML tags can produce (`!!timestamp`, `!!binary`, `!!set`, `!!omap`) into
 * JSON-friendly values: dates become ISO strings (date only at midnight UTC), binary becomes base64,
 * sets become lists and ordered maps become mappings. Keys are copied as data, so a `__proto__`
 * key stays an ordinary key.
 */
function toPlainData(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Set) return [...value].map(toPlainData);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), toPlainData(item)]));
  }
  if (Array.isArray(value)) return value.map(toPlainData);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlainData(item)]));
  }
  return value;
}

/** A scalar frontmatter value as text: strings trimmed, finite numbers and booleans spelled out. */
function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
    return String(value);
  return null;
}

/** The `title` key, when it is a non-blank string or a number. */
export function frontmatterTitle(fm: Frontmatter | null): string | null {
  const title = fm?.title;
  return typeof title === 'boolean' ? null : scalarText(title);
}

/** The `category` key as text, or null when absent, blank or not a scalar. */
export function frontmatterCategory(fm: Frontmatter | null): string | null {
  return scalarText(fm?.category);
}

/**
 * The `tags` key as a list: a YAML list, or a comma-separated string (otterwiki-api's rule).
 * Each tag is trimmed; blank and non-scalar entries are dropped.
 */
export function frontmatterTags(fm: Frontmatter | null): string[] {
  const tags = fm?.tags;
  const items = Array.isArray(tags) ? tags : typeof tags === 'string' ? tags.split(',') : [tags];
  return items.map(scalarText).filter((tag): tag is string => tag !== null);
}

/** Words in a text, as otterwiki-api's `len(body.split())`. */
export function countWords(text: string): number {
  return splitWords(text).length;
}
