import type { MiddlewareHandler } from 'hono';
import type { Access } from '../../auth/principal.js';
import { ANONYMOUS } from '../../auth/principal.js';
import { RESERVED_FIRST_SEGMENTS } from '../../domain/pagePath.js';
import { NotFound } from '../../wiki/errors.js';
import { accessOf, logDecision, principalOf } from './access.js';
import type { WebContext, WebDeps, WebEnv } from './env.js';
import { errorPage } from './errors.js';
import { rawPath } from './request.js';
import { PLATFORM } from './urls.js';
import { hereOf } from './viewer.js';

/** Paths under a wiki that belong to other doors (REST, MCP, metadata), never to the web UI. */
export function isOtherDoor(c: WebContext): boolean {
  const first = rawPath(c).split('/')[3] ?? '';
  return first !== '-' && RESERVED_FIRST_SEGMENTS.includes(first);
}

/**
 * Every web request under /w/<slug>/ passes here: the wiki's record and what the caller may do there
 * are resolved once; callers who may not read it are sent to log in, or refused.
 */
export function wikiGate(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (isOtherDoor(c)) return next();
    const slug = c.req.param('slug') as string;
    const record = await deps.registry.get(slug);
    if (!record) throw new NotFound(`Wiki not found: ${slug}`);
    const { reasons, ...can } = await accessOf(principalOf(c), record);
    c.set('webWiki', { record, can, reasons });
    if (!can.read) return refuse(deps, c, 'read');
    logDecision(deps, c, record, 'read', null);
    return next();
  };
}

/** Require more than reading (editing needs write, settings need admin). */
export function needs(deps: WebDeps, access: Access): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const { can } = c.get('webWiki');
    if (!can[access]) return refuse(deps, c, access);
    logDecision(deps, c, c.get('webWiki').record, access, null);
    return next();
  };
}

function refuse(deps: WebDeps, c: WebContext, access: Access) {
  const { record, reasons } = c.get('webWiki');
  const principal = principalOf(c);
  const reason = reasons[access] ?? 'not allowed';
  logDecision(deps, c, record, access, reason);
  if (principal === ANONYMOUS) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(PLATFORM.login(hereOf(c)), 303);
    return errorPage(deps, c, 401, 'Please log in first.');
  }
  const what = access === 'read' ? 'read' : access === 'write' ? 'change' : 'manage';
  return errorPage(deps, c, 403, `You may not ${what} the wiki '${record.slug}' (${reason}).`);
}
