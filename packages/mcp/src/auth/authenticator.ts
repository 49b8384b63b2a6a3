import { Code, ConnectError } from '@connectrpc/connect';
import { type Identity, IdentityUnavailableError, type TokenVerifier, type Verdict } from './identity.js';
import { TokenCache } from './token-cache.js';

const GUEST_ROLE = 'guest';

/** The token of an `authorization: Bearer <token>` header, if there is one. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Turns an authorization header into an Identity or a gRPC error: missing or invalid token →
 * UNAUTHENTICATED, role `guest` → PERMISSION_DENIED, identity service down → UNAVAILABLE (fail closed).
 * Verdicts are cached for 30 s by the token's SHA-256; concurrent checks of one token share one call.
 */
export class Authenticator {
  private readonly inflight = new Map<string, Promise<Verdict>>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly cache = new TokenCache(),
  ) {}

  /** Who the token belongs to; UNAUTHENTICATED or UNAVAILABLE otherwise. */
  async identify(header: string | null | undefined): Promise<Identity> {
    const token = bearerToken(header);
    if (token === undefined) throw new ConnectError('missing bearer token', Code.Unauthenticated);
    const verdict = this.cache.get(token) ?? (await this.verifyOnce(token));
    if (!verdict.valid) throw new ConnectError(`invalid token: ${verdict.reason}`, Code.Unauthenticated);
    return verdict.identity;
  }

  /** Every identified caller may use the agent except guests (PERMISSION_DENIED). */
  authorize(identity: Identity): void {
    if (identity.roles.includes(GUEST_ROLE)) {
      throw new ConnectError(
        `${identity.username} is a guest and may not use the agent`,
        Code.PermissionDenied,
      );
    }
  }

  private verifyOnce(token: string): Promise<Verdict> {
    const key = TokenCache.key(token);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.verifier
        .verify(token)
        .then((verdict) => {
          this.cache.set(token, verdict);
          return verdict;
        })
        .catch((error: unknown) => {
          const reason = error instanceof IdentityUnavailableError ? error.message : String(error);
          throw new ConnectError(`cannot verify the token, request refused: ${reason}`, Code.Unavailable);
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }
}
