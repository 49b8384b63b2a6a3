import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './context.js';

/** One JSON line per request: method, path, status, latency, wiki, subject. */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('log', {});
    // Below the configured level the line is never written: skip measuring and assembling it.
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    await next();
    const fields = c.get('log');
    logger.info(
      {
        event: 'request',
        method: c.req.method,
        path: withoutSecrets(new URL(c.req.url).pathname),
        status: c.res.status,
        latency_ms: Math.round((performance.now() - started) * 100) / 100,
        wiki: fields.wiki,
        subject: fields.subject ?? 'anonymous',
      },
      'request',
    );
  };
}

/** Invitation links carry their secret in the path (`wbi_<id>_<secret>`): log the id only. */
function withoutSecrets(path: string): string {
  return path.replace(/(wbi_[0-9a-f]{16})_[A-Za-z0-9_-]+/g, '$1_…');
}
