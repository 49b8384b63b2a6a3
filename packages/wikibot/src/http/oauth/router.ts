import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { INTERACTION_PATH } from '../../auth/oauth/routes.js';
import { protectedResourceMetadata } from '../../auth/resources.js';
import type { AppDeps, AppEnv } from '../context.js';
import { SIGN_IN_CSP, securityHeaders } from '../securityHeaders.js';
import { session } from '../session.js';
import { interactionRoutes } from './interactionRoutes.js';
import { loginRoutes } from './loginRoutes.js';
import { providerOf, providerRoutes } from './providerRoutes.js';
import { upstreamRoutes } from './upstreamRoutes.js';

/** The authorization servers that issue tokens for this server's wikis: the built-in one first. */
export function authorizationServers(deps: AppDeps): string[] {
  return [...(deps.auth.keys ? [deps.baseUrl()] : []), ...deps.auth.externalIssuers.issuers];
}

/** Pages with passwords and consent: the wiki pages' headers, never cached, no referrer. */
const pageHeaders = securityHeaders({ csp: SIGN_IN_CSP, referrer: 'no-referrer', htmlOnly: false });

/**
 * Everything about signing in, mounted at the root: the login, password and logout pages, "sign in
 * with" upstream providers, the built-in authorization server with its login and consent
 * interactions and discovery documents, and the protected resource metadata of each wiki and its API.
 */
export function oauthRouter(deps: AppDeps): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  for (const path of ['/-/login', '/-/login/*', '/-/logout', `${INTERACTION_PATH}/*`]) {
    router.use(path, pageHeaders, session(deps));
  }
  router.route('/', loginRoutes(deps));
  router.route('/', upstreamRoutes(deps));
  if (deps.auth.keys) {
    const provider = providerOf(deps);
    router.route('/', interactionRoutes(deps, provider));
    router.route('/', providerRoutes(deps, provider));
  }

  const metadata = new Hono<AppEnv>();
  metadata.use(cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  for (const door of ['', '/api/v1']) {
    metadata.get(`/w/:slug${door}`, async (c) => {
      const record = await deps.registry.get(c.req.param('slug'));
      if (!record) return c.json({ error: `Wiki not found: ${c.req.param('slug')}` }, 404);
      const resource = `${deps.placement.addressedWikiUrl(c.req.raw, record.slug)}${door}`;
      return c.json(protectedResourceMetadata(resource, authorizationServers(deps), record.title));
    });
  }
  router.route('/.well-known/oauth-protected-resource', metadata);
  return router;
}
