import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { SCOPES, type Scope } from '../platform/tokens.js';
import type { ExternalIssuerConfig, ExternalIssuers } from './externalIssuers.js';
import type { ServerKeys } from './oauth/keys.js';
import type { OAuthRecords } from './oauth/records.js';

/** Asymmetric algorithms only: no `none`, and no HMAC that a public key could be abused as a secret for. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 5;
/** The claim the built-in authorization server puts the grant id in, to check the grant still stands. */
export const GRANT_CLAIM = 'grant_id';

export interface VerifiedAccessToken {
  /** The built-in authorization server, or the external issuer that signed it. */
  issuer: { builtin: true } | { builtin: false; config: ExternalIssuerConfig };
  subject: string;
  clientId?: string;
  scopes: Scope[];
}

export type AccessTokenResult = { token: VerifiedAccessToken } | { refused: string };

export interface Expectations {
  /** The issuer identifier of the built-in authorization server (this server's base URL). */
  builtinIssuer: string;
  /** Audience values that name the resource being called. */
  audiences: string[];
}

/**
 * Verifies JWT access tokens for the resource servers: signature with the issuer's keys, `exp`/`nbf`,
 * `iss` among the trusted issuers, `aud` naming this resource, and for our own tokens that neither
 * the token nor its grant has been revoked.
 */
export class AccessTokenVerifier {
  private readonly builtinKeys: JWTVerifyGetKey | null;

  constructor(
    keys: ServerKeys | null,
    private readonly records: OAuthRecords,
    private readonly external: ExternalIssuers,
  ) {
    this.builtinKeys = keys ? keys.verificationKeys : null;
  }

  /** Whether a bearer value looks like a JWT at all (three base64url segments). */
  static looksLikeJwt(value: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
  }

  async verify(token: string, expect: Expectations): Promise<AccessTokenResult> {
    let issuer: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') {
        return { refused: 'unsigned tokens (alg none) are not accepted' };
      }
      issuer = decodeJwt(token).iss;
    } catch {
      return { refused: 'malformed token' };
    }
    if (issuer === undefined) return { refused: 'token has no issuer' };
    const builtin = issuer === expect.builtinIssuer && this.builtinKeys !== null;
    const trusted = builtin ? null : await this.external.get(issuer).catch((error: Error) => error);
    const named = JSON.stringify(issuer.slice(0, 100));
    if (trusted instanceof Error) return { refused: `issuer ${named} unavailable: ${trusted.message}` };
    if (!builtin && !trusted) return { refused: `issuer ${named} is not trusted` };
    const keys = builtin
      ? (this.builtinKeys as JWTVerifyGetKey)
      : (trusted as { keys: JWTVerifyGetKey }).keys;

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: expect.audiences,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
        ...(builtin ? { typ: 'at+jwt' } : {}),
      }));
    } catch (error) {
      return { refused: refusalReason(error) };
    }

    if (builtin) {
      const revoked = await this.builtinRevocation(payload);
      if (revoked) return { refused: revoked };
      return {
        token: {
          issuer: { builtin: true },
          subject: payload.sub as string,
          ...clientOf(payload),
          scopes: scopesFrom(payload.scope),
        },
      };
    }
    const config = (trusted as { config: ExternalIssuerConfig }).config;
    return {
      token: {
        issuer: { builtin: false, config },
        subject: payload.sub as string,
        ...clientOf(payload),
        scopes: scopesFrom(payload[config.scope_claim]),
      },
    };
  }

  private async builtinRevocation(payload: JWTPayload): Promise<string | null> {
    const grant = payload[GRANT_CLAIM];
    if (typeof grant !== 'string' || !(await this.records.grantAlive(grant)))
      return 'the grant behind this token was revoked';
    if (typeof payload.jti === 'string' && (await this.records.accessTokenRevoked(payload.jti)))
      return 'token revoked';
    return null;
  }
}

function clientOf(payload: JWTPayload): { clientId?: string } {
  const client = payload.client_id ?? payload.azp;
  return typeof client === 'string' ? { clientId: client } : {};
}

/** Known scopes from a space-separated string or an array; anything else grants nothing. */
function scopesFrom(claim: unknown): Scope[] {
  const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
  return [...new Set(values.filter((s): s is Scope => (SCOPES as readonly unknown[]).includes(s)))];
}

function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'token not yet valid';
    if (error.claim === 'aud') return 'token audience is not this resource';
    if (error.claim === 'iss') return 'token issuer mismatch';
    if (error.claim === 'typ') return 'not an access token (typ must be at+jwt)';
    return `token claim ${error.claim} invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signing algorithm not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signed with an unknown key';
  if (error instanceof errors.JOSEError) return `invalid token (${error.code})`;
  return `token verification failed: ${error instanceof Error ? error.message : String(error)}`;
}
