import { OpenAPIHono } from '@hono/zod-openapi';
import { authenticate } from '../../auth.js';
import type { AppDeps, AppEnv } from '../../context.js';
import { registerRouteDocs } from '../openapi.js';
import { accountRoutes } from './accounts.js';
import { requireCredential } from './caller.js';
import { PLATFORM_ERRORS, PLATFORM_ROUTES } from './docs.js';
import { inviteRoutes } from './invites.js';
import { memberRoutes } from './members.js';
import { tokenRoutes } from './tokens.js';
import { wikiRoutes } from './wikis.js';

/** Taking an invitation is the one call that may come without a credential (it can make the account). */
const OPEN_PATHS = /^\/api\/v1\/(openapi\.json|invites\/[^/]+\/accept)$/;

/**
 * The management API at the platform root (mounted at /api/v1, SPEC §8): wikis, members, invitations,
 * accounts and the caller's tokens, each handler one call of the platform service.
 */
export function platformApiRouter(deps: AppDeps): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>();
  api.use(authenticate(deps));
  api.use((c, next) => (OPEN_PATHS.test(c.req.path) ? next() : requireCredential(c, next)));
  wikiRoutes(api, deps);
  memberRoutes(api, deps);
  inviteRoutes(api, deps);
  accountRoutes(api, deps);
  tokenRoutes(api, deps);
  registerRouteDocs(api, PLATFORM_ROUTES, PLATFORM_ERRORS);
  api.get('/openapi.json', (c) =>
    c.json(
      api.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'wikibot management API', version: '1' },
        servers: [{ url: `${deps.baseUrl()}/api/v1` }],
      }),
    ),
  );
  return api;
}
