import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Invalid } from '../../wiki/errors.js';

/** Parse a JSON body against its schema; an empty body counts as `{}`. Bad input → Invalid (422). */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new Invalid('Request body must be valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid('Request body must be a JSON object');
  }
  return check(schema, value);
}

export function queryParams<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  return check(schema, c.req.query());
}

function check<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.');
  const message = issue?.message ?? 'Invalid request';
  // Messages written for a field already name it; zod's generic ones get the field prefixed.
  throw new Invalid(field && !message.includes(field) ? `${field}: ${message}` : message);
}

/**
 * The request path exactly as the client sent it. `c.req.url` has passed through the URL parser,
 * which silently resolves `.` and `..` segments; page paths must see them to refuse them.
 */
export function rawRequestPath(c: Context): string {
  const incoming = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
  const raw = incoming ?? new URL(c.req.url).pathname;
  const query = raw.indexOf('?');
  return query < 0 ? raw : raw.slice(0, query);
}

/**
 * The page path in a request URL after `prefix`, decoded segment by segment (`%2F` stays inside
 * its segment as a slash, like otterwiki-api's unquote). Malformed escapes are a 422, not a crash.
 */
export function decodePathTail(rawPath: string, prefix: string): string {
  const tail = rawPath.slice(rawPath.indexOf(prefix) + prefix.length);
  try {
    return tail
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    throw new Invalid('Invalid page path: malformed percent-encoding');
  }
}
