import { codeRanges, isEscaped, overlapsAny } from './codeRegions.js';
import { pagePrefixLength, pathSegments } from './linkTargets.js';
import { rewriteMarkdownPageLinks } from './markdownLinks.js';

/**
 * Otterwiki's WIKILINK_STYLE: by default `[[Title|Page]]` ('title-page'); with LINKTITLE or
 * PAGENAMETITLE the page comes first, `[[Page|Title]]` ('page-title').
 */
export type WikiLinkStyle = 'title-page' | 'page-title';

/** The WikiLinkStyle for an Otterwiki WIKILINK_STYLE setting (case, `_` and spaces ignored). */
export function wikiLinkStyleFromOtterwiki(setting: string): WikiLinkStyle {
  const normalized = setting.toUpperCase().replaceAll('_', '').trim();
  return normalized === 'LINKTITLE' || normalized === 'PAGENAMETITLE' ? 'page-title' : 'title-page';
}

export interface WikiLink {
  /** The page path: trimmed, without leading, trailing or doubled slashes, without the #anchor. */
  target: string;
  /** The link's own text (`Title` in `[[Title|Page]]`), or null for `[[Page]]`. */
  display: string | null;
  /** The text after `#`, as written, or null. */
  anchor: string | null;
}

const LEADING_SPACE_AND_SLASHES = /^\s*\/*\s*/;

interface RawWikiLink {
  start: number;
  end: number;
  /** Text between `[[` and the first `|` or `]`. */
  left: string;
  /** Text after that `|`, up to `]]`; undefined for `[[left]]`. */
  right: string | undefined;
}

/**
 * The matches of Otterwiki's WIKI_LINK pattern, `\[\[([^|\]]+)(?:\|([^\]]+))?\]\]` (its optional
 * `#…` group never matches anything the first group has not taken), found left to right without
 * overlaps. Scanned by hand with forward-only searches, so a page full of `[[` stays linear
 * where the regex would backtrack quadratically.
 */
function rawWikiLinks(text: string): RawWikiLink[] {
  const nextBracket = forwardFinder(text, ']');
  const nextPipe = forwardFinder(text, '|');
  const found: RawWikiLink[] = [];
  let start = text.indexOf('[[');
  while (start !== -1) {
    const inner = start + 2;
    const bracket = nextBracket(inner);
    const pipe = nextPipe(inner);
    let end = -1;
    if (pipe !== -1 && (bracket === -1 || pipe < bracket)) {
      // [[left|right]]: right runs to the first `]`, which must open `]]`.
      if (pipe > inner && bracket > pipe + 1 && text[bracket + 1] === ']') {
        found.push({
          start,
          end: bracket + 2,
          left: text.slice(inner, pipe),
          right: text.slice(pipe + 1, bracket),
        });
        end = bracket + 2;
      }
    } else if (bracket > inner && text[bracket + 1] === ']') {
      found.push({ start, end: bracket + 2, left: text.slice(inner, bracket), right: undefined });
      end = bracket + 2;
    }
    start = text.indexOf('[[', end === -1 ? start + 1 : end);
  }
  return found;
}

/** indexOf(char, from) for non-decreasing `from`, in amortized linear time overall. */
function forwardFinder(text: string, char: string): (from: number) => number {
  let found = text.indexOf(char);
  return (from) => {
    if (found !== -1 && found < from) found = text.indexOf(char, from);
    return found;
  };
}

interface Occurrence {
  /** Offset of the link part (the page side) in the text. */
  linkStart: number;
  link: string;
  display: string | null;
}

/** Wikilinks outside code, with the page side chosen by `style`. Escaped `\[[` is not a link. */
function occurrences(markdown: string, style: WikiLinkStyle): Occurrence[] {
  const code = codeRanges(markdown);
  const found: Occurrence[] = [];
  for (const { start, end, left, right } of rawWikiLinks(markdown)) {
    if (isEscaped(markdown, start) || overlapsAny(code, start, end)) continue;
    if (right === undefined) {
      found.push({ linkStart: start + 2, link: left, display: null });
    } else if (style === 'title-page') {
      found.push({ linkStart: start + 2 + left.length + 1, link: right, display: left });
    } else {
      found.push({ linkStart: start + 2, link: left, display: right });
    }
  }
  return found;
}

/** The link part of a wikilink: whitespace and slashes, the page path, whitespace, `#anchor`. */
function splitLink(link: string): { lead: string; path: string; trail: string; anchor: string } {
  const hash = link.indexOf('#');
  const beforeAnchor = hash === -1 ? link : link.slice(0, hash);
  const lead = LEADING_SPACE_AND_SLASHES.exec(beforeAnchor)?.[0] ?? '';
  const rest = beforeAnchor.slice(lead.length);
  const path = rest.trimEnd();
  return { lead, path, trail: rest.slice(path.length), anchor: hash === -1 ? '' : link.slice(hash) };
}

/**
 * Wikilinks outside fenced code blocks and inline code: `[[Page]]`, `[[Title|Page]]`,
 * `[[Page#anchor]]`, `[[Title|Page#anchor]]` (page first for 'page-title'), in document order.
 * Same-page anchors (`[[#section]]`) have no target and are left out.
 */
export function extractWikiLinks(markdown: string, style: WikiLinkStyle = 'title-page'): WikiLink[] {
  const links: WikiLink[] = [];
  for (const { link, display } of occurrences(markdown, style)) {
    const parts = splitLink(link);
    const target = pathSegments(parts.path).join('/');
    if (target === '') continue;
    links.push({
      target,
      display: display?.trim() || null,
      anchor: parts.anchor === '' ? null : parts.anchor.slice(1).trim() || null,
    });
  }
  return links;
}

/**
 * Why `path` cannot be written as a wikilink target, or null. Otterwiki's syntax has no escapes:
 * `#` starts the anchor, `|` separates the title and `]` ends the link.
 */
export function wikiLinkTargetProblem(path: string): string | null {
  const bad = ['#', '|', ']', '\n'].find((char) => path.includes(char));
  return bad === undefined
    ? null
    : `a wikilink cannot point to a page whose path contains ${JSON.stringify(bad)}`;
}

/**
 * Point every link to `oldPath` at `newPath`, for a rename. Targets are compared
 * case-insensitively; a target under the old path (a subpage or attachment, whose folder moves
 * with the page) moves too. Display text, `#anchor`, a leading `/` and the surrounding spaces
 * stay as written. Also rewrites Markdown links and link definitions with an absolute wiki
 * destination (`[text](/Old/Path)`, `![](/Old/Path/img.png)`, `[id]: /Old/Path`). Code is left
 * alone. Returns the new content (the same string when nothing pointed at the page).
 */
export function rewriteWikiLinks(
  markdown: string,
  oldPath: string,
  newPath: string,
  style: WikiLinkStyle = 'title-page',
): string {
  let result = '';
  let copied = 0;
  for (const { linkStart, link } of occurrences(markdown, style)) {
    const parts = splitLink(link);
    const segments = pathSegments(parts.path);
    const matched = pagePrefixLength(segments, oldPath);
    if (matched === null) continue;
    const moved = [newPath, ...segments.slice(matched)].join('/');
    result += markdown.slice(copied, linkStart) + parts.lead + moved + parts.trail + parts.anchor;
    copied = linkStart + link.length;
  }
  result += markdown.slice(copied);
  return rewriteMarkdownPageLinks(result, oldPath, newPath);
}
