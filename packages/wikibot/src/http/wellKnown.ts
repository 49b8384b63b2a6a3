import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { protectedResourceMetadata } from '../auth/resources.js';
import type { AppDeps, AppEnv } from './context.js';
import { authorizationServers } from './oauth/router.js';

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) at /.well-known/oauth-protected-resource for the
 * MCP endpoints: the path-aware form for each wiki's endpoint (`…/w/<slug>/mcp`, or `/mcp` on the
 * wiki's host in host mode, where MCP's 401 and 403 challenges point) and the root form describing the deployment, for clients that only look
 * there. (The wiki and its REST API have theirs next to the authorization server's routes.)
 */
export function mcpResourceMetadataRoutes(deps: AppDeps): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  router.use(cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  router.get('/', (c) => c.json(protectedResourceMetadata(deps.baseUrl(), authorizationServers(deps))));
  router.get('/w/:slug/mcp', async (c) => {
    const slug = c.req.param('slug');
    const record = await deps.registry.get(slug);
    if (!record) return c.json({ error: `Wiki not found: ${slug}` }, 404);
    const resource = `${deps.placement.addressedWikiUrl(c.req.raw, record.slug)}/mcp`;
    return c.json(protectedResourceMetadata(resource, authorizationServers(deps), record.title));
  });
  return router;
}
