/**
 * Where the code is in a Markdown text: fenced code blocks and inline code spans, following
 * CommonMark's rules for fences (``` or ~~~, at most 3 spaces of indentation, a closing fence of
 * the same character at least as long, an unclosed fence running to the end) and code spans
 * (a backtick run closed by a run of the same length, within one paragraph).
 * Indented code blocks are not detected: telling them apart from indented list content needs a
 * full parser, and mistaking a nested list item for code would hide real headings and links.
 */

export interface Line {
  /** The line without its `\n` and without a trailing `\r`. */
  text: string;
  /** Offset of the line's first character in the whole text. */
  start: number;
  /** Offset just past the line's last character, before any `\r\n`. */
  end: number;
}

/** [start, end) offsets into the text. */
export type Range = readonly [number, number];

/** Lines split at `\n`, so a `\r\n` file gives the same line indices as a `\n` file. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const rawEnd = newline === -1 ? text.length : newline;
    const end = rawEnd > start && text[rawEnd - 1] === '\r' ? rawEnd - 1 : rawEnd;
    lines.push({ text: text.slice(start, end), start, end });
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** For each line: is it part of a fenced code block (the fence lines included)? */
export function fencedLineMask(lines: readonly Line[]): boolean[] {
  const mask: boolean[] = [];
  let open: { char: string; length: number } | null = null;
  for (const { text } of lines) {
    if (open) {
      mask.push(true);
      const close = FENCE_CLOSE.exec(text);
      if (close?.[1]?.startsWith(open.char) && close[1].length >= open.length) open = null;
      continue;
    }
    const fence = FENCE_OPEN.exec(text);
    const marker = fence?.[1];
    // A backtick fence's info string may not contain a backtick (that would be a code span).
    if (marker && !(marker.startsWith('`') && fence[2]?.includes('`'))) {
      open = { char: marker.charAt(0), length: marker.length };
      mask.push(true);
      continue;
    }
    mask.push(false);
  }
  return mask;
}

/** Fenced code blocks and inline code spans of `text`, in order. */
export function codeRanges(text: string): Range[] {
  const lines = splitLines(text);
  const fenced = fencedLineMask(lines);
  const ranges: Range[] = [];
  let paragraph: Line[] = [];
  const flushParagraph = () => {
    const first = paragraph[0];
    const last = paragraph[paragraph.length - 1];
    if (first && last) ranges.push(...codeSpans(text, first.start, last.end));
    paragraph = [];
  };
  lines.forEach((line, index) => {
    if (fenced[index]) {
      flushParagraph();
      ranges.push([line.start, line.end]);
    } else if (/^[ \t]*$/.test(line.text)) {
      flushParagraph();
    } else {
      paragraph.push(line);
    }
  });
  flushParagraph();
  return ranges;
}

/**
 * Inline code spans inside text[from, to). A backtick run opens a span when a later run has the
 * same length; a backslash escapes the first backtick of a run outside code. Runs are indexed by
 * length, so a page full of unmatched backticks costs O(n log n), not O(n²).
 */
function codeSpans(text: string, from: number, to: number): Range[] {
  const runs = backtickRuns(text, from, to);
  const runsByLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const sameLength = runsByLength.get(run.length);
    if (sameLength) sameLength.push(index);
    else runsByLength.set(run.length, [index]);
  });
  const spans: Range[] = [];
  let consumed = from;
  for (let index = 0; index < runs.length; index += 1) {
    const run = runs[index]!;
    if (run.start < consumed) continue;
    const escaped = isEscaped(text, run.start, consumed);
    const length = escaped ? run.length - 1 : run.length;
    const closer = length > 0 ? firstAfter(runsByLength.get(length) ?? [], index) : undefined;
    if (closer === undefined) continue;
    const open = escaped ? run.start + 1 : run.start;
    consumed = runs[closer]!.start + length;
    spans.push([open, consumed]);
    index = closer;
  }
  return spans;
}

function backtickRuns(text: string, from: number, to: number): Array<{ start: number; length: number }> {
  const runs: Array<{ start: number; length: number }> = [];
  let i = text.indexOf('`', from);
  while (i !== -1 && i < to) {
    let end = i;
    while (end < to && text[end] === '`') end += 1;
    runs.push({ start: i, length: end - i });
    i = text.indexOf('`', end);
  }
  return runs;
}

/** The first element of the sorted `indices` greater than `index`. */
function firstAfter(indices: readonly number[], index: number): number | undefined {
  let low = 0;
  let high = indices.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (indices[mid]! <= index) low = mid + 1;
    else high = mid;
  }
  return indices[low];
}

/** Is text[index] escaped by an odd number of backslashes (counting back no further than `floor`)? */
export function isEscaped(text: string, index: number, floor = 0): boolean {
  let backslashes = 0;
  while (index - backslashes - 1 >= floor && text[index - backslashes - 1] === '\\') backslashes += 1;
  return backslashes % 2 === 1;
}

/** Does [start, end) overlap any of the sorted, disjoint `ranges`? */
export function overlapsAny(ranges: readonly Range[], start: number, end: number): boolean {
  let low = 0;
  let high = ranges.length;
  // First range whose end is past `start`.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ranges[mid]![1] <= start) low = mid + 1;
    else high = mid;
  }
  const candidate = ranges[low];
  return candidate !== undefined && candidate[0] < end;
}
