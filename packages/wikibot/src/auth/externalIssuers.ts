import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import type { Fetch } from './outboundFetch.js';

export type ExternalIssuerConfig = Config['auth']['issuers'][number];

/** Retry a failed discovery after this long rather than on every request. */
const RETRY_AFTER_MS = 30_000;

export interface TrustedIssuer {
  config: ExternalIssuerConfig;
  keys: JWTVerifyGetKey;
}

/**
 * The external authorization servers whose access tokens this server accepts, configured by issuer
 * URL. Their key sets are found by metadata discovery (RFC 8414, then OpenID Connect Discovery)
 * unless `jwks_uri` is given, fetched on first use and cached by jose (refetched for unknown key ids).
 */
export class ExternalIssuers {
  private readonly resolved = new Map<string, Promise<TrustedIssuer>>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly configs: ExternalIssuerConfig[],
    private readonly fetch: Fetch,
  ) {}

  get issuers(): string[] {
    return this.configs.map((c) => c.issuer);
  }

  /** The trusted issuer with exactly this identifier, or null when it is not trusted. */
  async get(issuer: string): Promise<TrustedIssuer | null> {
    const config = this.configs.find((c) => c.issuer === issuer);
    if (!config) return null;
    const failed = this.failedAt.get(issuer);
    let entry = this.resolved.get(issuer);
    if (!entry || (failed !== undefined && Date.now() - failed > RETRY_AFTER_MS)) {
      this.failedAt.delete(issuer);
      entry = this.resolve(config);
      this.resolved.set(issuer, entry);
      entry.catch(() => this.failedAt.set(issuer, Date.now()));
    }
    return entry;
  }

  private async resolve(config: ExternalIssuerConfig): Promise<TrustedIssuer> {
    const jwksUri = config.jwks_uri ?? (await this.discoverJwksUri(config.issuer));
    const keys = createRemoteJWKSet(new URL(jwksUri), {
      [customFetch]: this.fetch,
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
    });
    return { config, keys };
  }

  private async discoverJwksUri(issuer: string): Promise<string> {
    for (const url of metadataUrls(issuer)) {
      const response = await this.fetch(url, { headers: { accept: 'application/json' } }).catch(() => null);
      if (!response?.ok) continue;
      const metadata = (await response.json().catch(() => null)) as {
        issuer?: unknown;
        jwks_uri?: unknown;
      } | null;
      if (metadata?.issuer !== issuer)
        throw new Error(`Metadata at ${url} names issuer ${String(metadata?.issuer)}`);
      if (typeof metadata.jwks_uri !== 'string') throw new Error(`Metadata at ${url} has no jwks_uri`);
      return metadata.jwks_uri;
    }
    throw new Error(`No authorization server metadata found for ${issuer}`);
  }
}

/** RFC 8414 (well-known inserted before the path) first, then OpenID Connect Discovery (appended). */
function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}
