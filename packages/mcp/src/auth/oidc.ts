import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { IdentityUnavailableError, type TokenVerifier, type Verdict } from './identity.js';

const DISCOVERY_PATHS = ['.well-known/openid-configuration', '.well-known/oauth-authorization-server'];
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Failures that say nothing about the token, only that its keys could not be fetched. */
function keysUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC'
  );
}

function rolesOf(payload: JWTPayload): string[] {
  const roles = payload.roles;
  if (Array.isArray(roles)) return roles.filter((role): role is string => typeof role === 'string');
  return typeof roles === 'string' ? roles.split(/\s+/).filter(Boolean) : [];
}

function claim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Verifies JWT access tokens of any OIDC/OAuth issuer (wikibot's authorization server among them) with
 * its JWKS: signature by an asymmetric key, `iss`, `aud` = this agent, `exp`/`nbf`. The JWKS address
 * comes from the issuer's metadata unless configured.
 */
export class OidcVerifier implements TokenVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly audience: string,
    private readonly jwksUrl?: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return this.jwks;
    const url = this.jwksUrl ?? (await this.discoverJwksUrl());
    this.jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: this.timeoutMs });
    return this.jwks;
  }

  private async discoverJwksUrl(): Promise<string> {
    const base = this.issuer.endsWith('/') ? this.issuer : `${this.issuer}/`;
    for (const path of DISCOVERY_PATHS) {
      try {
        const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(this.timeoutMs) });
        if (!response.ok) continue;
        const metadata = (await response.json()) as { jwks_uri?: unknown };
        if (typeof metadata.jwks_uri === 'string') return metadata.jwks_uri;
      } catch {
        // try the next metadata document
      }
    }
    throw new IdentityUnavailableError(`no JWKS address in the metadata of issuer ${this.issuer}`);
  }

  async verify(token: string): Promise<Verdict> {
    const jwks = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
      });
      const username = claim(payload, 'preferred_username') ?? claim(payload, 'username') ?? payload.sub;
      if (!username) return { valid: false, reason: 'token names no subject' };
      return {
        valid: true,
        identity: { username, roles: rolesOf(payload), accountType: claim(payload, 'account_type') ?? '' },
      };
    } catch (error) {
      if (keysUnavailable(error)) {
        throw new IdentityUnavailableError(`cannot fetch the issuer's keys: ${(error as Error).message}`);
      }
      return { valid: false, reason: (error as Error).message };
    }
  }
}
