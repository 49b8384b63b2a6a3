import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { ANONYMOUS, authorize, isPlatformAdmin } from '../../auth/principal.js';
import { NotFound } from '../../wiki/errors.js';
import { authenticate, challenge, decide, routeOf } from '../auth.js';
import type { AppDeps, AppEnv } from '../context.js';
import { jsonBody } from './request.js';
import { LimitsBody } from './usageSchemas.js';

/**
 * Usage and limits at the platform root (mounted at /api/v1): a wiki's usage for its owners and the
 * platform admins, every wiki's usage and per-wiki limit overrides for platform admins only.
 */
export function usageRouter(deps: AppDeps): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>();
  const signedIn = authenticate(deps);
  const admin = platformAdminOnly();

  api.get('/usage', signedIn, admin, async (c) => {
    const wikis = await deps.registry.list();
    const reports = [];
    for (const { slug } of wikis) reports.push(await deps.limits.report(deps.registry, slug));
    return c.json({ wikis: reports });
  });

  api.get('/wikis/:slug/usage', signedIn, async (c) => {
    const slug = c.req.param('slug');
    const record = await deps.registry.get(slug);
    if (!record) throw new NotFound(`Wiki not found: ${slug}`);
    const refusal = refuse(c, await authorize(c.get('principal'), record, 'admin'));
    if (refusal) return refusal;
    return c.json(await deps.limits.report(deps.registry, slug));
  });

  api.put('/wikis/:slug/limits', signedIn, admin, async (c) => {
    const slug = c.req.param('slug');
    if (!(await deps.registry.get(slug))) throw new NotFound(`Wiki not found: ${slug}`);
    const overrides = await deps.limits.setOverrides(slug, await jsonBody(c, LimitsBody));
    deps.logger.info(
      { event: 'limits', wiki: slug, subject: c.get('principal').subject, overrides },
      'wiki limits set',
    );
    return c.json({ slug, overrides, usage: await deps.limits.report(deps.registry, slug) });
  });

  return api;
}

function platformAdminOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const allowed = isPlatformAdmin(c.get('principal'));
    return refuse(c, allowed ? null : 'only platform admins may do this') ?? next();
  };
}

/** The answer to a refused request (401 without a credential, else 403 naming why), logged; null when allowed. */
function refuse(c: Context<AppEnv>, reason: string | null): Response | null {
  const principal = c.get('principal');
  decide(c, { door: 'api', route: routeOf(c), required: 'admin', reason });
  if (reason === null) return null;
  if (principal === ANONYMOUS) {
    return c.json({ error: 'Authentication required' }, 401, {
      'WWW-Authenticate': challenge({ scheme: 'Bearer', realm: 'wikibot' }),
    });
  }
  return c.json({ error: `Forbidden: ${reason}` }, 403);
}
