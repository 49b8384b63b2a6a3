import type { MemberStore } from '../platform/members.js';
import {
  constantTimeEqual,
  presentedDigest,
  SCOPES,
  type Scope,
  sha256,
  type TokenStore,
} from '../platform/tokens.js';
import type { User, UserStore } from '../platform/users.js';
import { AccessTokenVerifier, type VerifiedAccessToken } from './accessTokens.js';
import type { Principal } from './principal.js';
import { type WikiSite, wikiAudiences } from './resources.js';

export interface BearerContext extends WikiSite {
  /** The wiki the request addresses; JWT access tokens are only accepted for a wiki. */
  wiki?: string;
  /** Public base URL: the built-in issuer and the root of every path-mode resource URL. */
  baseUrl: string;
}

export type Authentication = Principal | { refused: string };

/**
 * Turns a credential into a principal: WIKIBOT_ADMIN_TOKEN (every scope, every wiki), an API token
 * (its scopes, bounded by its user's roles when it has one), or a JWT access token from the built-in
 * or an external authorization server (its scopes ∩ the user's roles, for the wiki it names).
 */
export class Authenticator {
  private readonly adminTokenHash: string | null;

  constructor(
    private readonly deps: {
      tokens: TokenStore;
      users: UserStore;
      members: MemberStore;
      accessTokens: AccessTokenVerifier;
      adminToken: string | undefined;
    },
  ) {
    this.adminTokenHash = deps.adminToken ? sha256(deps.adminToken) : null;
  }

  async fromBearer(credential: string, context: BearerContext): Promise<Authentication> {
    if (this.adminTokenHash !== null && constantTimeEqual(presentedDigest(credential), this.adminTokenHash)) {
      return {
        subject: 'admin-token',
        actor: { name: 'admin', email: 'admin@wikibot' },
        scopes: new Set<Scope>(SCOPES),
        wikis: '*',
        client: 'WIKIBOT_ADMIN_TOKEN',
      };
    }
    if (credential.startsWith('wbt_')) return this.fromApiToken(credential);
    if (AccessTokenVerifier.looksLikeJwt(credential)) return this.fromAccessToken(credential, context);
    return { refused: 'unrecognised credential' };
  }

  /** The principal of a signed-in person (browser session or trusted proxy): their roles, nothing less. */
  forUser(user: User, client: string): Principal {
    return this.userPrincipal(user, { scopes: SCOPES, wikis: '*', client });
  }

  private async fromApiToken(credential: string): Promise<Authentication> {
    const found = await this.deps.tokens.verify(credential);
    if (!found) return { refused: 'invalid, expired or revoked API token' };
    const credentialPart = {
      subject: `token:${found.id}`,
      scopes: found.scopes,
      wikis: found.wiki === null ? ('*' as const) : new Set([found.wiki]),
      client: found.name,
    };
    if (found.userId === null) {
      return {
        ...credentialPart,
        actor: { name: found.name, email: `token-${found.id}@wikibot` },
        scopes: new Set(found.scopes),
      };
    }
    const user = await this.deps.users.get(found.userId);
    if (!user || user.disabled) return { refused: 'the account of this API token is disabled' };
    return this.userPrincipal(user, credentialPart);
  }

  private async fromAccessToken(credential: string, context: BearerContext): Promise<Authentication> {
    if (!context.wiki) return { refused: 'access tokens are accepted by wikis only' };
    const result = await this.deps.accessTokens.verify(credential, {
      builtinIssuer: context.baseUrl,
      audiences: wikiAudiences(context, context.wiki),
    });
    if ('refused' in result) return result;
    const user = await this.userOf(result.token);
    if (!user) return { refused: 'no account is linked to this identity' };
    if (user.disabled) return { refused: 'account disabled' };
    return this.userPrincipal(user, {
      subject: `user:${user.id}`,
      scopes: result.token.scopes,
      wikis: new Set([context.wiki]),
      client: result.token.clientId ?? 'unknown client',
    });
  }

  private async userOf(token: VerifiedAccessToken): Promise<User | undefined> {
    if (token.issuer.builtin) return this.deps.users.get(token.subject);
    const { config } = token.issuer;
    if (config.auto_provision)
      return this.deps.users.provision({ issuer: config.issuer, subject: token.subject });
    return this.deps.users.byIdentity(config.issuer, token.subject);
  }

  private userPrincipal(
    user: User,
    credential: {
      subject?: string;
      scopes: readonly Scope[];
      wikis: '*' | ReadonlySet<string>;
      client: string;
    },
  ): Principal {
    const members = this.deps.members;
    return {
      subject: credential.subject ?? `user:${user.id}`,
      actor: { name: user.displayName, email: user.email ?? `${user.username}@users.wikibot` },
      scopes: new Set(credential.scopes),
      wikis: credential.wikis,
      client: credential.client,
      user: {
        id: user.id,
        username: user.username,
        isAdmin: user.isAdmin,
        roleOn: (wiki) => members.roleOf(wiki, user.id),
      },
    };
  }
}

/**
 * The credential in an Authorization header: a bearer token, or the password of HTTP Basic
 * (how git sends a token). Null when there is none.
 */
export function credentialFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 || colon === decoded.length - 1 ? null : decoded.slice(colon + 1);
}
