import { constantTimeEqual, SCOPES, type Scope, sha256, type TokenStore } from '../platform/tokens.js';
import type { Principal } from './principal.js';

/**
 * Turns a bearer credential into a principal: an API token from the platform store, or the
 * automation token from WIKIBOT_ADMIN_TOKEN (every scope, every wiki). Null when it is not genuine.
 */
export class Authenticator {
  private readonly adminTokenHash: string | null;

  constructor(
    private readonly tokens: TokenStore,
    adminToken: string | undefined,
  ) {
    this.adminTokenHash = adminToken ? sha256(adminToken) : null;
  }

  async fromBearer(token: string): Promise<Principal | null> {
    if (this.adminTokenHash !== null && constantTimeEqual(sha256(token), this.adminTokenHash)) {
      return {
        subject: 'admin-token',
        actor: { name: 'admin', email: 'admin@wikibot' },
        scopes: new Set<Scope>(SCOPES),
        wikis: '*',
        client: 'WIKIBOT_ADMIN_TOKEN',
      };
    }
    const found = await this.tokens.verify(token);
    if (!found) return null;
    return {
      subject: `token:${found.id}`,
      actor: { name: found.name, email: `token-${found.id}@wikibot` },
      scopes: new Set(found.scopes),
      wikis: found.wiki === null ? '*' : new Set([found.wiki]),
      client: found.name,
    };
  }
}

/** The token in an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}
