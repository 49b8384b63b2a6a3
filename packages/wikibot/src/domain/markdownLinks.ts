import { codeRanges, overlapsAny } from './codeRegions.js';
import { pagePrefixLength, pathSegments } from './linkTargets.js';

/**
 * Destinations of inline links and images (`](dest`) and of link reference definitions
 * (`[id]: dest`): either `<…>` or a run without spaces, parentheses or angle brackets, followed by
 * the end of the link, a title after whitespace, or the end of the line. Anything else
 * (`](/Old Page)`, which is no link, or `](/Old(1))`, whose destination we cannot delimit) is left.
 */
const DESTINATION =
  /(\]\([ \t]*|^ {0,3}\[[^\]\n]+\]:[ \t]*)(<[^<>\n]*>|[^\s()<>]+)(?=\s*\)|\s+["'(]|[ \t]*$)/gm;

/** Characters that would end or change a destination if written raw. */
const UNSAFE_BARE = /[\s()<>#?%]/gu;
const UNSAFE_IN_ANGLES = /[<>#?%\n]/gu;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * Re-point Markdown links whose destination is an absolute wiki path ("/Old/Path", "/Old/Path#x",
 * "/Old/Path/chart.png") from `oldPath` to `newPath`. Destinations are compared percent-decoded and
 * case-insensitively. The new path is percent-encoded when the old destination was, otherwise only
 * characters that would break the link are escaped. Links in code, relative links and external
 * URLs ("//host/…", "https://…") are left alone.
 */
export function rewriteMarkdownPageLinks(markdown: string, oldPath: string, newPath: string): string {
  const code = codeRanges(markdown);
  return markdown.replace(
    DESTINATION,
    (whole: string, opener: string, destination: string, offset: number) => {
      if (overlapsAny(code, offset, offset + whole.length)) return whole;
      const moved = movedDestination(destination, oldPath, newPath);
      return moved === null ? whole : opener + moved;
    },
  );
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const NON_PAGE_EXTENSION = /\.(?!md$)[a-z0-9]{1,10}$/i;

/**
 * The pages that Markdown links (`[text](Other)`, `[text](Other.md)`, `[text](/Folder/Other)`,
 * reference definitions) point at, as page paths: absolute destinations from the wiki root, relative
 * ones from the folder of `pagePath` (as a browser resolves them), `.md` dropped. External URLs,
 * anchors, attachments (`chart.png`) and links in code are not page links.
 */
export function extractMarkdownPageLinks(markdown: string, pagePath: string): string[] {
  const code = codeRanges(markdown);
  const targets: string[] = [];
  for (const match of markdown.matchAll(DESTINATION)) {
    if (overlapsAny(code, match.index, match.index + match[0].length)) continue;
    const target = pageOfDestination(match[2] as string, pagePath);
    if (target !== null) targets.push(target);
  }
  return targets;
}

function pageOfDestination(destination: string, pagePath: string): string | null {
  const url = destination.startsWith('<') ? destination.slice(1, -1) : destination;
  const path = url.slice(0, firstIndexOf(url, ['#', '?']));
  if (path === '' || HAS_SCHEME.test(path) || path.startsWith('//')) return null;
  const folder = path.startsWith('/') ? [] : pathSegments(pagePath).slice(0, -1);
  const segments: string[] = [...folder];
  for (const segment of pathSegments(path).map(decodeSegment)) {
    if (segment === '..') segments.pop();
    else if (segment !== '.') segments.push(segment);
  }
  const last = segments.at(-1);
  if (last === undefined || NON_PAGE_EXTENSION.test(last)) return null;
  segments[segments.length - 1] = last.replace(/\.md$/i, '');
  return segments.join('/');
}

function movedDestination(destination: string, oldPath: string, newPath: string): string | null {
  const inAngles = destination.startsWith('<');
  const url = inAngles ? destination.slice(1, -1) : destination;
  const pathEnd = firstIndexOf(url, ['#', '?']);
  const path = url.slice(0, pathEnd);
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  const segments = pathSegments(path);
  const matched = pagePrefixLength(segments.map(decodeSegment), oldPath);
  if (matched === null) return null;
  const encoded = pathSegments(newPath).map((segment) =>
    encodeSegment(segment, inAngles, PERCENT_ESCAPE.test(path)),
  );
  const trailingSlash = path.endsWith('/') && segments.length > 0 ? '/' : '';
  const moved = `/${[...encoded, ...segments.slice(matched)].join('/')}${trailingSlash}${url.slice(pathEnd)}`;
  return inAngles ? `<${moved}>` : moved;
}

function firstIndexOf(text: string, chars: readonly string[]): number {
  const found = chars.map((char) => text.indexOf(char)).filter((index) => index !== -1);
  return found.length === 0 ? text.length : Math.min(...found);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function encodeSegment(segment: string, inAngles: boolean, percentEncoded: boolean): string {
  if (percentEncoded) return percentEncode(segment);
  return segment.replace(inAngles ? UNSAFE_IN_ANGLES : UNSAFE_BARE, percentEncode);
}

/** encodeURIComponent, plus parentheses (a bare destination must not contain them unbalanced). */
function percentEncode(text: string): string {
  return encodeURIComponent(text).replaceAll('(', '%28').replaceAll(')', '%29');
}
