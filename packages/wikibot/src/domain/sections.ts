import { fencedLineMask, splitLines } from './codeRegions.js';
import { parseFrontmatter } from './frontmatter.js';

export interface Heading {
  /** 1–6. */
  level: number;
  /** The heading text, trimmed, without an ATX closing sequence (`## Title ##` → `Title`). */
  title: string;
  /** Titles from the outermost enclosing heading down to this one. */
  path: string[];
  /** 0-based index of the heading's line in the text split at `\n`. */
  line: number;
}

export type SectionMatch =
  | { kind: 'found'; heading: Heading; content: string }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'not_found'; available: string[] };

/** CommonMark ATX heading: up to 3 spaces, 1–6 `#`, then whitespace or the end of the line. */
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;

/** How section paths are written: "A > B > C". */
export const SECTION_SEPARATOR = ' > ';

/**
 * ATX headings outside fenced code blocks, with their heading paths. A leading frontmatter block is
 * skipped, so YAML comments are not taken for headings; line numbers still count from the first
 * line of `markdown`.
 */
export function parseHeadings(markdown: string): Heading[] {
  const { body } = parseFrontmatter(markdown);
  const frontmatter = markdown.slice(0, markdown.length - body.length);
  const skippedLines =
    frontmatter === '' ? 0 : frontmatter.split('\n').length - (frontmatter.endsWith('\n') ? 1 : 0);
  return parseBodyHeadings(markdown, skippedLines);
}

/**
 * Like parseHeadings, for text known to carry no frontmatter (it is not looked for). Lines before
 * `firstLine` are ignored entirely, fences included.
 */
export function parseBodyHeadings(body: string, firstLine = 0): Heading[] {
  const lines = splitLines(body).slice(firstLine);
  const fenced = fencedLineMask(lines);
  const headings: Heading[] = [];
  const stack: Heading[] = [];
  lines.forEach((line, index) => {
    const match = fenced[index] ? null : ATX_HEADING.exec(line.text);
    if (!match) return;
    const level = match[1]!.length;
    const title = withoutClosingSequence(match[2] ?? '').trim();
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    const heading: Heading = {
      level,
      title,
      path: [...stack.map((h) => h.title), title],
      line: firstLine + index,
    };
    stack.push(heading);
    headings.push(heading);
  });
  return headings;
}

/**
 * The heading text without its optional closing sequence: trailing `#`s preceded by a space or
 * tab, or making up the whole text ("# C#" keeps its "#"). A scan, not a regex like
 * `/[ \t]+#+[ \t]*$/`, which backtracks quadratically on long runs of spaces.
 */
function withoutClosingSequence(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end -= 1;
  let hashes = end;
  while (hashes > 0 && text[hashes - 1] === '#') hashes -= 1;
  if (hashes === end) return text;
  if (hashes === 0) return '';
  return text[hashes - 1] === ' ' || text[hashes - 1] === '\t' ? text.slice(0, hashes) : text;
}

/** "A > B > C" for a heading. */
export function sectionPathText(heading: Heading): string {
  return heading.path.join(SECTION_SEPARATOR);
}

/**
 * Find a section the way otterwiki-mcp's extract_section does: case-insensitively, first on the
 * full heading path ("A > B > C"), then on a path suffix ("B > C", or just the title "C").
 * Two or more matches at the first rule that matches make the query ambiguous. Upstream tried
 * full path and suffix together; trying the full path first only settles cases upstream called
 * ambiguous. (Its third rule, the bare title, is the one-segment suffix.) Spacing around `>` and
 * runs of whitespace do not matter. `content` runs from the heading line to just before the next
 * heading of the same or a higher level, newlines included, exactly as in the text.
 */
export function findSection(markdown: string, query: string): SectionMatch {
  const headings = parseHeadings(markdown);
  const wanted = normalizePath(query);
  const keyed = headings.map((heading) => ({ heading, key: normalizePath(sectionPathText(heading)) }));
  const rules = [
    (key: string) => key === wanted,
    (key: string) => key.endsWith(`${SECTION_SEPARATOR}${wanted}`),
  ];
  for (const rule of wanted === '' ? [] : rules) {
    const matches = keyed.filter(({ key }) => rule(key)).map(({ heading }) => heading);
    const [only] = matches;
    if (matches.length === 1 && only)
      return { kind: 'found', heading: only, content: sectionContent(markdown, headings, only) };
    if (matches.length > 1) return { kind: 'ambiguous', candidates: matches.map(sectionPathText) };
  }
  return { kind: 'not_found', available: headings.map(sectionPathText) };
}

function normalizePath(path: string): string {
  return path
    .split('>')
    .map((part) => part.trim().replace(/\s+/g, ' '))
    .join(SECTION_SEPARATOR)
    .toLowerCase();
}

function sectionContent(markdown: string, headings: readonly Heading[], heading: Heading): string {
  const lines = splitLines(markdown);
  const next = headings.find((other) => other.line > heading.line && other.level <= heading.level);
  const start = lines[heading.line]!.start;
  const end = next ? lines[next.line]!.start : markdown.length;
  return markdown.slice(start, end);
}
