import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { credentialFromHeader } from '../auth/authenticate.js';
import type { AppDeps, AppEnv } from './context.js';
import { clientAddress } from './forwarded.js';

/** Clients remembered at most per limiter; the one idle longest is forgotten first. */
const MAX_CLIENTS = 100_000;

/**
 * Token buckets, one per client: each holds up to `perMinute` requests and refills at `perMinute` a
 * minute, so a client may burst to the limit and then go on at the limit's pace. Kept in this
 * process only, least recently seen first, so memory stays bounded.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    private readonly maxClients = MAX_CLIENTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one request of `client`: 0 when it may go, else the whole seconds until it may. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.buckets.get(client);
    // Multiplied before divided, so whole seconds at whole rates come out exact.
    const refilled = bucket ? bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000 : this.perMinute;
    let tokens = Math.min(this.perMinute, refilled);
    this.buckets.delete(client);
    let wait = 0;
    if (tokens >= 1) tokens -= 1;
    else wait = Math.max(1, Math.ceil(((1 - tokens) * 60) / this.perMinute));
    this.buckets.set(client, { tokens, at: now });
    if (this.buckets.size > this.maxClients) {
      const idlest = this.buckets.keys().next().value;
      if (idlest !== undefined) this.buckets.delete(idlest);
    }
    return wait;
  }

  get size(): number {
    return this.buckets.size;
  }
}

/**
 * Request rate limits (`[limits] requests_per_minute_token` and `requests_per_minute_anonymous`;
 * 0: off): a request with a credential in its Authorization header (an API token, an OAuth access
 * token, as Bearer or as git's Basic password) counts against that credential, any other request
 * against the client's address (behind trusted proxies, the forwarded one). Beyond the limit the
 * answer is 429 with Retry-After. Counted per process: N replicas or workers let N times as much
 * through. Mounted after the probes (/health, /ready, /metrics), which are never limited.
 */
export function rateLimit(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const { requests_per_minute_token: perToken, requests_per_minute_anonymous: perAddress } =
    deps.config.limits;
  const tokens = perToken > 0 ? new RateLimiter(perToken) : null;
  const addresses = perAddress > 0 ? new RateLimiter(perAddress) : null;
  return async (c, next) => {
    const credential = credentialFromHeader(c.req.header('authorization'));
    const limiter = credential === null ? addresses : tokens;
    if (!limiter) return next();
    // The credential's digest, not the credential, is what this process keeps.
    const client =
      credential === null
        ? clientAddress(c, deps.config.http.trusted_proxies)
        : createHash('sha256').update(credential).digest('base64url');
    const wait = limiter.take(client);
    if (wait === 0) return next();
    const message = `Too many requests: the limit is ${limiter.perMinute} a minute per ${credential === null ? 'client address' : 'token'}; retry in ${wait} s`;
    const headers = { 'Retry-After': String(wait) };
    const path = c.req.path;
    const json = path.includes('/api/') || path.endsWith('/mcp') || c.req.header('accept')?.includes('json');
    return json ? c.json({ error: message }, 429, headers) : c.text(message, 429, headers);
  };
}
