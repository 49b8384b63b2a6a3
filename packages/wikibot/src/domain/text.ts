/**
 * Text helpers that reproduce Python's `str.split()` and `str.strip()`, so word counts and
 * trimming agree with otterwiki-api and otterwiki-semantic-search character for character.
 * (JavaScript's `\s` and `trim()` use a slightly different whitespace set.)
 */

/** The characters Python's `str.isspace()` accepts. */
const PY_WHITESPACE_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Source of a regex character class matching one Python whitespace character. */
export const PY_WHITESPACE = `[${PY_WHITESPACE_CLASS}]`;

const WHITESPACE_RUN = new RegExp(`${PY_WHITESPACE}+`);
const WHITESPACE_CHAR = new RegExp(`^${PY_WHITESPACE}$`);

/** Python's `text.split()`: the non-empty runs between whitespace. */
export function splitWords(text: string): string[] {
  return text.split(WHITESPACE_RUN).filter((word) => word !== '');
}

/** Python's `text.strip()`. (A loop, not `/\s+$/`, which is quadratic on long inner whitespace.) */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE_CHAR.test(text.charAt(start))) start += 1;
  while (end > start && WHITESPACE_CHAR.test(text.charAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

/** Length of `text` encoded as UTF-8 (a lone surrogate counts as the 3-byte U+FFFD it becomes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
