import type { Random } from './random.js';

/** Pieces of text a careless or hostile client sends: unicode of every kind, controls, traversal, markup. */
const PIECES = [
  'a',
  'Page',
  'Café',
  'Cafe\u0301',
  'ß',
  'İ',
  '日本語',
  '😀',
  '\u200d',
  '\u202e',
  'مرحبا',
  ' ',
  '  ',
  '\t',
  '\u0000',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\udfff',
  '/',
  '//',
  '.',
  '..',
  '../',
  '.git',
  '-',
  'api',
  'mcp',
  '.well-known',
  '\\',
  '%',
  '%00',
  '%2e%2e',
  '%2F',
  '%ZZ',
  '?',
  '#',
  '&',
  '=',
  '+',
  '"',
  "'",
  '<script>',
  '[[Link]]',
  '[[a|b]]',
  '$$x$$',
  '[^1]',
  '*',
  '^',
  'NEAR(',
  ')',
  'OR',
  'AND',
  '-x',
  '\n',
  '\r\n',
  '{',
  '}',
  '[',
  ']',
  'null',
  'true',
  '0',
  '-1',
  '1e999',
  'x'.repeat(300),
];

/** A short text made of random pieces (at most `max` of them). */
export function text(random: Random, max = 6): string {
  return random.string(PIECES, random.int(0, max));
}

/** A page path: mostly plausible, sometimes hostile. */
export function pagePath(random: Random): string {
  if (random.chance(0.5)) return random.pick(['Home', 'Fuzz/One', 'Fuzz/Two', 'Col', 'Col/Sub/X', 'Café']);
  return Array.from({ length: random.int(1, 3) }, () => text(random, 3) || 'P').join('/');
}

/** A path as it goes on the wire: segments percent-encoded, or printable ASCII (`%ZZ`, `..`, `//`) left raw. */
export function wirePath(random: Random, path: string): string {
  if (random.chance(0.2)) return path.replace(/[^\x21-\x7e]/gu, percentBytes);
  return path.split('/').map(encodeComponent).join('/');
}

/** encodeURIComponent that also takes lone surrogates. */
export function encodeComponent(text: string): string {
  return text.replace(/[^A-Za-z0-9\-._~]/gu, percentBytes);
}

/** Percent-encoded UTF-8 (a lone surrogate becomes U+FFFD's bytes, as any UTF-8 encoder sends it). */
function percentBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`)
    .join('');
}

/** A JSON value of a random type, for fields that expect something specific. */
export function jsonValue(random: Random, depth = 0): unknown {
  switch (random.int(0, depth > 1 ? 4 : 7)) {
    case 0:
      return text(random);
    case 1:
      return random.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER, 42]);
    case 2:
      return random.chance(0.5);
    case 3:
      return null;
    case 4:
      return pagePath(random);
    case 5:
      return [jsonValue(random, depth + 1), jsonValue(random, depth + 1)];
    default:
      return { [text(random, 2)]: jsonValue(random, depth + 1), content: jsonValue(random, depth + 1) };
  }
}

/** A body that claims to be JSON: valid, broken, truncated or not JSON at all. */
export function jsonBody(random: Random, value: unknown): string {
  const valid = JSON.stringify(value) ?? 'null';
  switch (random.int(0, 9)) {
    case 0:
      return valid.slice(0, random.int(0, valid.length)); // truncated
    case 1:
      return `${valid}${text(random, 2)}`; // trailing garbage
    case 2:
      return text(random);
    case 3:
      return '\u0000\u0001\u0002';
    default:
      return valid;
  }
}

/** Base64 and things that look like it. */
export function base64(random: Random): string {
  return random.pick([
    Buffer.from(text(random)).toString('base64'),
    'AAAA',
    '====',
    '@@@',
    'QUJD\nREVG',
    'data:text/plain;base64,QUJD',
    '',
    Buffer.from('x'.repeat(random.int(0, 2000))).toString('base64'),
  ]);
}
