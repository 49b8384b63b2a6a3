import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.js';
import type { AppEnv } from './context.js';
import { requestedHost } from './forwarded.js';
import type { WikiPlacement } from './hostMode.js';

/** A host name or address with an optional port, and nothing else (no userinfo, no path). */
const HOST = /^[A-Za-z0-9.:[\]-]+$/;

/**
 * With `base_url` set, answer only requests for its host (DNS rebinding, cache poisoning through a
 * foreign Host): others get 421 Misdirected Request naming the host served. Without it, any host.
 */
export function requireOwnHost(config: Config, placement: WikiPlacement): MiddlewareHandler<AppEnv> {
  if (!config.base_url) return (_c, next) => next();
  const base = new URL(config.base_url);
  return async (c, next) => {
    const asked = requestedHost(c, config.http.trusted_proxies);
    const host = HOST.test(asked) ? URL.parse(`${base.protocol}//${asked}`)?.host : undefined;
    if (host === base.host) return next();
    // In host mode, each wiki's host on the base URL's port too.
    const wikiHost = host === undefined ? undefined : URL.parse(`${base.protocol}//${host}`);
    if (wikiHost && wikiHost.port === base.port && placement.isWikiHost(wikiHost.hostname)) return next();
    return c.json({ error: `Misdirected request: this server answers for ${base.host}, not ${asked}` }, 421);
  };
}
