import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { NotFound } from '../../wiki/errors.js';
import { requireAccess } from '../auth.js';
import type { AppDeps, AppEnv } from '../context.js';
import { changelogJson, pageSummaryJson } from '../shapes/present.js';
import { deleteAttachment, downloadAttachment, listAttachments, uploadAttachment } from './attachments.js';
import { registerOpenApi } from './openapi.js';
import { deletePage, pageHistory, patchPage, readPage, renamePage, writePage } from './pages.js';
import { decodePathTail, queryParams, rawRequestPath } from './request.js';
import { LimitQuery, ListQuery } from './schemas.js';
import { reindexStatus, search, semanticSearch } from './search.js';

type C = Context<AppEnv>;

/** REST API v1 of one wiki (mounted at /w/<slug>/api/v1), wire-compatible with otterwiki-api. */
export function apiRouter(deps: AppDeps): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>();
  const read = requireAccess(deps, 'read');
  const write = requireAccess(deps, 'write');

  api.get('/health', (c) => c.json({ status: 'ok' }));
  registerOpenApi(api, deps);

  api.get('/pages', read, async (c) => {
    const q = queryParams(c, ListQuery);
    const { pages, total } = await c.get('wiki').listPages({
      ...(q.prefix ? { prefix: q.prefix.trim() } : {}),
      ...(q.category ? { category: q.category.trim() } : {}),
      ...(q.tag ? { tag: q.tag.trim() } : {}),
      ...(q.updated_since ? { updatedSince: q.updated_since } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
      ...(q.offset ? { offset: q.offset } : {}),
    });
    return c.json({ pages: pages.map(pageSummaryJson), total });
  });

  api.get('/pages/*', read, (c) => {
    const { path, action, filename } = pageRoute(c);
    if (action === 'history') return pageHistory(c, path);
    if (action === 'attachments') return listAttachments(c, path);
    if (action === 'attachment') return downloadAttachment(c, path, filename);
    if (action === 'page') return readPage(c, path);
    throw routeNotFound(c);
  });
  api.on(['PUT', 'PATCH', 'DELETE', 'POST'], '/pages/*', write, (c) => {
    const { path, action, filename } = pageRoute(c);
    const method = c.req.method;
    if (action === 'page' && method === 'PUT') return writePage(c, path);
    if (action === 'page' && method === 'PATCH') return patchPage(c, path);
    if (action === 'page' && method === 'DELETE') return deletePage(c, path);
    if (action === 'rename' && method === 'POST') return renamePage(c, path);
    if (action === 'attachments' && method === 'POST') return uploadAttachment(c, path);
    if (action === 'attachment' && method === 'DELETE') return deleteAttachment(c, path, filename);
    throw routeNotFound(c);
  });

  api.get('/search', read, search);
  api.get('/semantic-search', read, semanticSearch);

  api.get('/links', read, async (c) => c.json(await c.get('wiki').graph()));
  api.get('/links/*', read, async (c) => {
    const path = decodePathTail(rawRequestPath(c), '/api/v1/links/');
    const links = await c.get('wiki').links(path);
    return c.json({ path: links.path, links_to: links.linksTo, linked_from: links.linkedFrom });
  });

  api.get('/changelog', read, async (c) => {
    const q = queryParams(c, LimitQuery);
    const entries = await c.get('wiki').changelog(q.limit ?? 50, q.offset ?? 0);
    return c.json({ entries: entries.map(changelogJson), total: entries.length });
  });

  api.post('/reindex', write, async (c) => {
    // Answered once started; how it ends is reported by /reindex/status.
    c.get('wiki')
      .reindex()
      .catch(() => {});
    return c.json({ status: 'started' }, 202);
  });
  api.get('/reindex/status', read, reindexStatus);
  return api;
}

type PageAction = 'page' | 'history' | 'rename' | 'attachments' | 'attachment';

/** The suffix routes each method has; any other path is the page itself (as with otterwiki-api's routes). */
const SUFFIX_ACTIONS: Record<string, readonly PageAction[]> = {
  GET: ['history', 'attachments', 'attachment'],
  POST: ['rename', 'attachments'],
  DELETE: ['attachment'],
};

/** Split `/pages/<path>[/history|/rename|/attachments[/<file>]]` by method. */
function pageRoute(c: C): { path: string; action: PageAction; filename: string } {
  const tail = decodePathTail(rawRequestPath(c), '/api/v1/pages/');
  const allowed = SUFFIX_ACTIONS[c.req.method] ?? [];
  const attachment = /^(.+)\/attachments\/([^/]+)$/.exec(tail);
  if (attachment && allowed.includes('attachment')) {
    return { path: attachment[1] as string, action: 'attachment', filename: attachment[2] as string };
  }
  for (const action of (['history', 'rename', 'attachments'] as const).filter((a) => allowed.includes(a))) {
    const suffix = `/${action}`;
    if (tail.endsWith(suffix) && tail.length > suffix.length) {
      return { path: tail.slice(0, -suffix.length), action, filename: '' };
    }
  }
  return { path: tail, action: 'page', filename: '' };
}

function routeNotFound(c: C): NotFound {
  return new NotFound(`No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
}
