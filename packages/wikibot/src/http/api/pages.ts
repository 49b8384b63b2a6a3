import type { Context } from 'hono';
import { findSection } from '../../domain/sections.js';
import { Invalid, NotFound } from '../../wiki/errors.js';
import type { AppEnv } from '../context.js';
import { commitJson, pageJson } from '../shapes/present.js';
import { jsonBody, queryParams } from './request.js';
import {
  DeleteBody,
  type HistorySchema,
  LimitQuery,
  PatchBody,
  ReadQuery,
  RenameBody,
  WriteBody,
} from './schemas.js';

type C = Context<AppEnv>;

/** Page JSON by the view object it was made from: repeated reads of an unchanged page reuse it. */
const serialized = new WeakMap<object, string>();

export async function readPage(c: C, path: string) {
  const query = queryParams(c, ReadQuery);
  const page = await c.get('wiki').readPage(path, query.revision ? { revision: query.revision } : {});
  const etag = `"${page.revision}"`;
  c.header('ETag', etag);
  if (!query.revision && c.req.header('if-none-match') === etag) return c.body(null, 304);
  const plain = query.section === undefined && query.format !== 'html';
  const cached = plain ? serialized.get(page) : undefined;
  if (cached) return c.body(cached, 200, { 'Content-Type': 'application/json' });
  const json: Record<string, unknown> = pageJson(page);
  if (query.section !== undefined) {
    const match = findSection(page.body, query.section);
    if (match.kind === 'not_found') {
      throw new NotFound(
        `Section not found: ${query.section}. Available sections: ${match.available.join(', ')}`,
      );
    }
    if (match.kind === 'ambiguous') {
      throw new Invalid(
        `Section '${query.section}' is ambiguous. Candidates: ${match.candidates.join(', ')}`,
      );
    }
    json.content = match.content;
    json.section = match.heading.path.join(' > ');
  }
  if (query.format === 'html') {
    // The body (or the section asked for) rendered and sanitized as the web UI shows it.
    // Cached by the page's blob id, plus the section for a section's HTML.
    const section = typeof json.section === 'string' ? json.section : null;
    const body = section === null ? page.body : String(json.content);
    const blob = section === null ? page.blob : `${page.blob}#${section}`;
    const rendered = await c.get('wiki').renderPage({ path: page.path, body, blob });
    if (rendered.limitExceeded) throw new Invalid(rendered.limitExceeded);
    json.html = rendered.html;
  }
  const text = JSON.stringify(json);
  if (plain) serialized.set(page, text);
  return c.body(text, 200, { 'Content-Type': 'application/json' });
}

export async function writePage(c: C, path: string) {
  const body = await jsonBody(c, WriteBody);
  const revision = body.revision ?? ifMatch(c);
  const result = await c.get('wiki').writePage(path, body.content, {
    ...changeOptions(c, body.commit_message),
    ...(revision ? { revision } : {}),
  });
  c.header('ETag', `"${result.revision}"`);
  return c.json(
    { name: result.name, path: result.path, revision: result.revision, created: result.created },
    result.created ? 201 : 200,
  );
}

export async function patchPage(c: C, path: string) {
  const body = await jsonBody(c, PatchBody);
  const result = await c
    .get('wiki')
    .patchPage(
      path,
      { revision: body.revision, oldString: body.old_string, newString: body.new_string },
      changeOptions(c, body.commit_message),
    );
  c.header('ETag', `"${result.revision}"`);
  return c.json({ name: result.name, path: result.path, revision: result.revision });
}

export async function deletePage(c: C, path: string) {
  const body = await jsonBody(c, DeleteBody);
  const result = await c.get('wiki').deletePage(path, changeOptions(c, body.commit_message));
  return c.json({ deleted: true, path: result.path });
}

export async function renamePage(c: C, path: string) {
  const body = await jsonBody(c, RenameBody);
  const result = await c.get('wiki').renamePage(path, body.new_path, changeOptions(c, body.commit_message));
  return c.json({
    old_path: result.oldPath,
    new_path: result.newPath,
    revision: result.revision,
    updated_pages: result.updatedPages,
  });
}

export async function pageHistory(c: C, path: string) {
  const { limit } = queryParams(c, LimitQuery);
  const result = await c.get('wiki').history(path, limit);
  const json = { path: result.path, history: result.history.map(commitJson) };
  return c.json(json satisfies typeof HistorySchema._output);
}

/** The author and source of a change made through the REST API. */
export function changeOptions(c: C, message: string | undefined) {
  return { actor: c.get('principal').actor, source: 'api' as const, ...(message ? { message } : {}) };
}

/** `If-Match: "<revision>"` as an alternative to the body's revision. */
function ifMatch(c: C): string | undefined {
  const header = c.req.header('if-match');
  const match = header ? /^\s*(?:W\/)?"?([0-9a-fA-F]{7,40})"?\s*$/.exec(header) : null;
  return match?.[1];
}
