import { GitInputError } from './errors.js';

const MAX_PATH_BYTES = 4096;

export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Checks a file path inside the repository (`A/B/c.png`) and returns its segments. The rules are what
 * git itself requires of a tree (`git fsck --strict`) plus no control characters, so every path that
 * passes round-trips through plumbing unchanged.
 */
export function pathSegments(path: string): string[] {
  const fail = (rule: string): never => {
    throw new GitInputError(`invalid path ${JSON.stringify(path)}: ${rule}`);
  };
  if (typeof path !== 'string') fail('it is not a string');
  if (path.length === 0) fail('it is empty');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) fail(`it is longer than ${MAX_PATH_BYTES} bytes`);
  if (hasControlCharacter(path)) fail('it contains a control character');
  if (path.startsWith('/')) fail('it starts with "/"');
  if (path.endsWith('/')) fail('it ends with "/"');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') fail('it has an empty segment');
    if (segment === '.' || segment === '..') fail(`it has a "${segment}" segment`);
    if (segment.toLowerCase() === '.git') fail('it has a ".git" segment');
  }
  return segments;
}

const HEX = /^[0-9a-f]+$/i;

/** A full object id as git prints it (SHA-1 or SHA-256). */
export const FULL_OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full or abbreviated object id: 4 to 64 hex digits, nothing git could read as an option or ref. */
export function isObjectIdArgument(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.length <= 64 && HEX.test(value);
}

/** `value` lowercased if it is a full or abbreviated object id; otherwise a `GitInputError`. */
export function objectIdArgument(value: string, what: string): string {
  if (!isObjectIdArgument(value)) {
    throw new GitInputError(
      `${what} must be an object id (4 to 64 hex digits), got ${JSON.stringify(value)}`,
    );
  }
  return value.toLowerCase();
}
