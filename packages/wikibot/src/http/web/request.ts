import type { Context } from 'hono';
import { Invalid } from '../../wiki/errors.js';
import { type FormFields, readForm } from '../form.js';

type C = Context;

/** The request path as sent, before any decoding (so `%2F` inside a segment stays one segment). */
export function rawPath(c: C): string {
  const url = c.req.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.search(/[?#]/);
  return start < 0 ? '/' : url.slice(start, end < 0 ? undefined : end);
}

/**
 * The page path after `prefix` in the request path: each segment percent-decoded, empty segments
 * dropped. Malformed escapes are bad input, not a crash.
 */
export function pathAfter(c: C, prefix: string): string {
  const raw = rawPath(c);
  const at = raw.indexOf(prefix);
  const tail = at < 0 ? '' : raw.slice(at + prefix.length);
  try {
    return tail
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    throw new Invalid(`Malformed percent-encoding in the URL: ${tail}`);
  }
}

/** A form field as one string ('' when absent; the first value when repeated). */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Form fields of a urlencoded or multipart POST. */
export function formBody(c: C): Promise<FormFields> {
  return readForm(c);
}

/** Does the client want JSON (the editor's fetch calls) rather than a page? */
export function wantsJson(c: C): boolean {
  return (c.req.header('accept') ?? '').includes('application/json');
}
