import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Access } from '../../auth/principal.js';
import { ANONYMOUS, isPlatformAdmin } from '../../auth/principal.js';
import { RESERVED_FIRST_SEGMENTS } from '../../domain/pagePath.js';
import { decide, routeOf, wikiAccess } from '../auth.js';
import type { AppEnv } from '../context.js';
import { principalOf } from './access.js';
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
 * Every web request under /w/<slug>/ passes here: what the caller may do on the wiki is resolved by
 * the access gate (http/auth.ts); callers who may not read it are sent to log in, or refused.
 */
export function wikiGate(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (isOtherDoor(c)) return next();
    await wikiAccess(deps, asApp(c), c.req.param('slug') as string);
    return check(deps, c, 'read', next);
  };
}

/** Require more than reading (editing needs write, settings need admin). */
export function needs(deps: WebDeps, access: Access): MiddlewareHandler<WebEnv> {
  return (c, next) => check(deps, c, access, next);
}

/**
 * The platform admins' pages (/-/admin): decided here like every other door's admin-only routes;
 * visitors are sent to log in, everyone else refused (403).
 */
export function platformAdminGate(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const principal = principalOf(c);
    const allowed = isPlatformAdmin(principal);
    const reason = decide(asApp(c), {
      door: 'web',
      route: routeOf(c),
      required: 'admin',
      reason: allowed ? null : 'only platform admins may do this',
    });
    if (reason === null) return next();
    if (principal === ANONYMOUS) {
      if (c.req.method === 'GET') return c.redirect(PLATFORM.login(hereOf(c)), 303);
      return errorPage(deps, c, 401, 'Please log in first.');
    }
    return errorPage(
      deps,
      c,
      403,
      `Only platform admins may see this page (${principal.user?.username ?? 'this credential'} is not one).`,
    );
  };
}

/** WebEnv only adds `access`, which the gate sets: the web context is an app context. */
export function asApp(c: WebContext): Context<AppEnv> {
  return c as unknown as Context<AppEnv>;
}

async function check(deps: WebDeps, c: WebContext, access: Access, next: Next) {
  const { record, reasons } = c.get('access');
  const reason = decide(asApp(c), {
    door: 'web',
    route: routeOf(c),
    required: access,
    reason: reasons[access],
  });
  if (reason === null) return next();
  if (principalOf(c) === ANONYMOUS) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(PLATFORM.login(hereOf(c)), 303);
    return errorPage(deps, c, 401, 'Please log in first.');
  }
  const what = access === 'read' ? 'read' : access === 'write' ? 'change' : 'manage';
  return errorPage(deps, c, 403, `You may not ${what} the wiki '${record.slug}' (${reason}).`);
}
