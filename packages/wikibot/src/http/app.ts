import type { IncomingMessage } from 'node:http';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { metricsHandler, observeRequests } from '../observability/http.js';
import type { Services } from '../services.js';
import { platformApiRouter } from './api/platform/router.js';
import { apiRouter } from './api/router.js';
import { usageRouter } from './api/usage.js';
import { authenticate, decisionLog } from './auth.js';
import type { AppDeps, AppEnv } from './context.js';
import { toHttpError } from './errors.js';
import { requestedHost } from './forwarded.js';
import { gitRouter } from './git/router.js';
import { requireOwnHost } from './hostCheck.js';
import { wikiPlacement } from './hostMode.js';
import { requestLog } from './logging.js';
import { mcpRouter } from './mcp/route.js';
import { oauthRouter } from './oauth/router.js';
import { rateLimit } from './rateLimit.js';
import { webRouter } from './web/router.js';
import { mcpResourceMetadataRoutes } from './wellKnown.js';

/** The app of an entry point (server, Lambda) over its opened services. */
export function createServicesApp(
  services: Services,
  baseUrl: () => string,
  options: Pick<AppDeps, 'traceParent'> = {},
): Hono<AppEnv> {
  return createApp({
    ...options,
    config: services.config,
    registry: services.registry,
    limits: services.limits,
    tokens: services.tokens,
    authenticator: services.authenticator,
    auth: services.auth,
    platform: services.platform,
    logger: services.logger,
    work: services.work,
    observability: services.observability,
    placement: wikiPlacement(services.config, baseUrl),
    baseUrl,
  });
}

/**
 * The whole HTTP surface: every front door, mounted under one app. In host mode a wiki's host is
 * served by mapping its requests onto the wiki's path-mode routes (http/hostMode.ts).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = doors(deps);
  if (!deps.config.http.wiki_host_mode) return app;
  const hosts = new Hono<AppEnv>();
  hosts.all('*', async (c) => {
    const host = requestedHost(c, deps.config.http.trusted_proxies);
    const routed = deps.placement.route(c.req.raw, host);
    if (routed) return deps.placement.onHost(host, await app.fetch(routed, c.env));
    return c.json({ error: `No wiki at ${host}: not a wiki name` }, 404);
  });
  return hosts;
}

function doors(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const observability = deps.observability;
  if (observability?.metrics || observability?.tracing) {
    app.use(
      observeRequests({
        tracing: observability.tracing,
        ...(observability.metrics ? { metrics: observability.metrics } : {}),
        ...(deps.traceParent ? { traceParent: deps.traceParent } : {}),
      }),
    );
  }
  app.use(requestLog(deps.logger));
  app.use(decisionLog(deps.logger));
  app.use(closeAfterUnreadBody);
  app.use(limitBodies(deps));

  app.get('/health', (c) => c.json({ status: 'ok' }));
  if (observability?.metrics) {
    app.get(
      '/metrics',
      metricsHandler(observability.metrics, {
        ...(deps.config.metrics.scrape_token ? { scrapeToken: deps.config.metrics.scrape_token } : {}),
        isPlatformAdmin: async (credential) => {
          const who = await deps.authenticator.fromBearer(credential, { baseUrl: deps.baseUrl() });
          return !('refused' in who) && (who.subject === 'admin-token' || who.user?.isAdmin === true);
        },
      }),
    );
  }
  app.get('/ready', async (c) => {
    try {
      await deps.registry.list();
      return c.json({ status: 'ready' });
    } catch (error) {
      deps.logger.error({ err: error }, 'readiness check failed');
      return c.json({ status: 'unavailable', error: 'platform store unreachable' }, 503);
    }
  });

  // After the probes: pods and load balancers probe with their own Host.
  app.use(requireOwnHost(deps.config, deps.placement));
  app.use(rateLimit(deps));

  app.route('/api/v1', platformApiRouter(deps)); // the management API (wikis, members, invites, accounts, tokens)
  app.route('/w', gitRouter(deps)); // /w/<slug>.git: before the wiki routes, which would take "<slug>.git" for a slug
  const wiki = new Hono<AppEnv>();
  wiki.use(async (c, next) => {
    const slug = c.req.param('slug') as string;
    c.get('log').wiki = slug;
    const wiki = await deps.registry.wiki(slug);
    const trace = c.get('trace');
    const traceWiki = deps.observability?.traceWiki;
    c.set('wiki', trace && traceWiki ? traceWiki(wiki, trace) : wiki);
    return next();
  });
  wiki.use(authenticate(deps));
  wiki.route('/api/v1', apiRouter(deps));
  wiki.route('/mcp', mcpRouter(deps));
  app.route('/w/:slug', wiki);
  app.route('/api/v1', usageRouter(deps));
  app.route('/.well-known/oauth-protected-resource', mcpResourceMetadataRoutes(deps));
  app.route('/', oauthRouter(deps)); // login, logout, the authorization server, resource metadata
  app.route('/', webRouter(deps)); // last: the web UI's page view is a catch-all

  app.notFound((c) => c.json({ error: `Not found: ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    const mapped = toHttpError(error);
    if (mapped) {
      for (const [name, value] of Object.entries(mapped.headers ?? {})) c.header(name, value);
      return c.json(mapped.body, mapped.status);
    }
    deps.logger.error({ err: error, path: new URL(c.req.url).pathname }, 'unhandled error');
    return c.json({ error: 'Internal server error' }, 500);
  });
  return app;
}

/**
 * A response sent before the request body has fully arrived (a 401 or 404 that never reads it, a 413)
 * leaves the rest of that body on the connection: tell the client not to reuse it, so its next request
 * does not go out on a socket the server is about to close. GET bodies are never read, so the same holds.
 */
const closeAfterUnreadBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.complete) c.header('Connection', 'close');
};

const GIT_SERVICE_PATH = /^\/w\/[^/]+\.git\//;

/**
 * Refuse oversized bodies with 413 before reading them. Attachment uploads may carry a base64 body
 * big enough for the attachment limit, so an oversized attachment gets the service's own message.
 */
function limitBodies(deps: AppDeps) {
  const general = deps.config.http.max_body_bytes;
  const uploads = Math.ceil((deps.config.wiki.max_attachment_bytes * 4) / 3) * 2 + 64 * 1024;
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      // The unread rest of the body makes the connection unusable: tell the client not to reuse it.
      onError: (c) =>
        c.json({ error: `Request body too large (max ${maxSize} bytes)` }, 413, { Connection: 'close' }),
    });
  const generalLimit = limiter(general);
  const uploadLimit = limiter(uploads);
  const bodiless = new Set(['GET', 'HEAD', 'OPTIONS']);
  return (c: Parameters<typeof generalLimit>[0], next: Parameters<typeof generalLimit>[1]) => {
    // git streams packs of any size into receive-pack, which bounds what it accepts itself.
    if (bodiless.has(c.req.method) || GIT_SERVICE_PATH.test(c.req.path)) return next();
    // Attachment uploads (REST, or MCP's upload_attachment) carry base64 content up to the attachment limit.
    const path = c.req.path;
    const upload = c.req.method === 'POST' && (path.endsWith('/attachments') || path.endsWith('/mcp'));
    return upload ? uploadLimit(c, next) : generalLimit(c, next);
  };
}
