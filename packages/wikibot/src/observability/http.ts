import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Context as TraceContext,
  trace,
} from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { credentialFromHeader } from '../auth/authenticate.js';
import { challenge } from '../http/auth.js';
import type { AppEnv } from '../http/context.js';
import { constantTimeEqual } from '../platform/tokens.js';
import type { Door, Metrics } from './metrics.js';

const tracer = trace.getTracer('wikibot');

/**
 * Per request: a server span (the parent of the use case, git and index spans below it) and the
 * request count and latency by door and route template.
 */
export function observeRequests(options: {
  metrics?: Metrics;
  tracing: boolean;
  /** The trace a request's span belongs to (on Lambda, the invocation's X-Ray trace); else a new one. */
  traceParent?: () => TraceContext | undefined;
}): MiddlewareHandler<AppEnv> {
  const { metrics, tracing, traceParent } = options;
  return async (c, next) => {
    const started = performance.now();
    const record = () => {
      const route = routeTemplate(c);
      metrics?.request(
        doorOf(c.req.path),
        route,
        c.req.method,
        c.res.status,
        (performance.now() - started) / 1000,
      );
      return route;
    };
    if (!tracing) {
      await next();
      record();
      return;
    }
    const parent = traceParent?.() ?? ROOT_CONTEXT;
    const span = tracer.startSpan(c.req.method, { kind: SpanKind.SERVER }, parent);
    if (!span.isRecording()) {
      // Not sampled: the request sees the wiki itself, with no span anywhere.
      await next();
      record();
      return;
    }
    // The wiki middleware gives a sampled request a view of its wiki that spans under this context.
    c.set('trace', trace.setSpan(parent, span));
    try {
      await next();
    } finally {
      const route = record();
      span.updateName(`${c.req.method} ${route}`);
      span.setAttributes({
        'http.request.method': c.req.method,
        'http.route': route,
        'url.path': c.req.path,
        'http.response.status_code': c.res.status,
      });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}

/** The pattern of the route that answered (`/w/:slug/api/v1/pages/*`), never the raw path. */
function routeTemplate(c: Context): string {
  const route = routePath(c);
  return route === '/*' || route === '*' ? 'unmatched' : route;
}

const OAUTH_PATHS = ['/-/oauth', '/-/login', '/-/logout', '/.well-known'];

/** The door of a request path (by path, so that a refusal by shared middleware counts for its door). */
export function doorOf(path: string): Door {
  if (path === '/health' || path === '/ready' || path === '/metrics') return 'system';
  if (/^\/w\/[^/]+\/api\//.test(path) || path.startsWith('/api/')) return 'api';
  if (/^\/w\/[^/]+\/mcp(\/|$)/.test(path)) return 'mcp';
  if (/^\/w\/[^/]+\.git(\/|$)/.test(path)) return 'git';
  if (OAUTH_PATHS.some((prefix) => path.startsWith(prefix))) return 'oauth';
  return 'web';
}

/**
 * `GET /metrics` in Prometheus' text format, for the configured scrape token or a credential
 * `isPlatformAdmin` accepts.
 */
export function metricsHandler(
  metrics: Metrics,
  access: { scrapeToken?: string; isPlatformAdmin(credential: string): Promise<boolean> },
): (c: Context) => Promise<Response> {
  return async (c) => {
    const credential = credentialFromHeader(c.req.header('authorization'));
    const scrape = access.scrapeToken;
    const allowed =
      credential !== null &&
      ((scrape !== undefined && constantTimeEqual(credential, scrape)) ||
        (await access.isPlatformAdmin(credential)));
    if (!allowed) {
      return c.json({ error: 'Metrics need the scrape token or a platform admin token' }, 401, {
        'WWW-Authenticate': challenge({ scheme: 'Bearer', realm: 'metrics' }),
      });
    }
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  };
}
