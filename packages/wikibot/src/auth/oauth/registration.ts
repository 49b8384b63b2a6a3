import { addressGroup, type Backoff, type Throttle } from '../throttle.js';
import type { OAuthRecords } from './records.js';

export interface RegistrationLimits {
  /** Registrations per client address before each further one waits. */
  perAddress: number;
  /** Registered clients kept at most. */
  maxClients: number;
}

/** Why a registration is refused: an RFC 7591 error and the HTTP status to send it with. */
export interface RegistrationRefusal {
  status: 400 | 429 | 503;
  error: string;
  description: string;
  retryAfter?: number;
}

/**
 * Who may register a client (RFC 7591), which anyone may try: a few registrations per client
 * address, then a wait doubling from a minute up to 15 minutes (forgotten after an hour without
 * one; web clients such as claude.ai register from a few shared addresses, so the allowance is
 * generous and the wait short); no more than a fixed number of stored
 * clients (unused ones expire, see OAuthRecords); and only redirect URIs a stranger cannot use to
 * catch codes meant for someone else: https, or http to the user's own machine (OAuth 2.1 §8.4.2,
 * RFC 8252 §7.3).
 */
export class ClientRegistrations {
  private readonly backoff: Backoff;

  constructor(
    private readonly records: OAuthRecords,
    private readonly throttle: Throttle,
    private readonly limits: RegistrationLimits,
  ) {
    this.backoff = {
      free: limits.perAddress,
      firstWaitMs: 60_000,
      maxWaitMs: 900_000,
      forgetAfterMs: 3_600_000,
    };
  }

  /** Count this attempt from `address` and say why `metadata` may not be registered, or null. */
  async refusal(metadata: unknown, address: string): Promise<RegistrationRefusal | null> {
    const key = `register:${addressGroup(address)}`;
    const wait = await this.throttle.take(key, this.backoff);
    if (wait > 0) {
      return {
        status: 429,
        error: 'too_many_requests',
        description: `Too many client registrations from this address; try again in ${wait} seconds`,
        retryAfter: wait,
      };
    }
    const problem = redirectUrisProblem(metadata);
    if (problem) return { status: 400, error: 'invalid_redirect_uri', description: problem };
    if ((await this.records.countClients()) >= this.limits.maxClients) {
      return {
        status: 503,
        error: 'temporarily_unavailable',
        description: `This server keeps at most ${this.limits.maxClients} registered clients; try again later`,
      };
    }
    return null;
  }
}

/** Why the metadata's redirect URIs are not acceptable, or null (other checks are oidc-provider's). */
export function redirectUrisProblem(metadata: unknown): string | null {
  const uris = (metadata as { redirect_uris?: unknown } | null)?.redirect_uris;
  if (!Array.isArray(uris)) return null;
  for (const uri of uris) {
    const url = typeof uri === 'string' ? URL.parse(uri) : null;
    if (!url) return `redirect_uris: not a URL: ${String(uri).slice(0, 200)}`;
    if (url.protocol === 'https:') continue;
    if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) continue;
    return `redirect_uris: ${uri.slice(0, 200)} is not allowed: use https, or http on a loopback address (127.0.0.1, [::1], localhost)`;
  }
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
