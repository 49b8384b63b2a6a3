import type { MiddlewareHandler } from 'hono';

/** What browsers may load on a page: only this origin's scripts; images also from https and data URLs. */
const SOURCES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];

/** Wiki and platform pages: forms post to this site only. */
export const PAGE_CSP = [...SOURCES, "form-action 'self'"].join('; ');

/**
 * Sign-in and consent pages: the same, but without `form-action`. Their forms post here and are
 * then redirected on to the OAuth client's redirect URI, which browsers check against form-action.
 */
export const SIGN_IN_CSP = SOURCES.join('; ');

/**
 * The headers every page of ours carries: CSP, no MIME sniffing, never framed, never cached, and a
 * referrer policy. `htmlOnly` leaves other responses (attachments, assets) cacheable.
 */
export function securityHeaders(options: {
  csp: string;
  referrer: 'same-origin' | 'no-referrer';
  htmlOnly: boolean;
}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (options.htmlOnly && !c.res.headers.get('content-type')?.startsWith('text/html')) return;
    c.res.headers.set('content-security-policy', options.csp);
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', options.referrer);
    c.res.headers.set('x-frame-options', 'DENY');
    c.res.headers.set('cache-control', 'no-store');
  };
}
