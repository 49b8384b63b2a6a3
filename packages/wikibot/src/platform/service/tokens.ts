import { checkTokenScopes } from '../../auth/tokenScopes.js';
import { Forbidden, Invalid, NotFound } from '../../wiki/errors.js';
import type { ApiToken, Scope } from '../tokens.js';
import type { Caller } from './caller.js';
import type { PlatformContext } from './context.js';

export interface NewToken {
  name: string;
  scopes: Scope[];
  /** null: every wiki the account may use. */
  wiki: string | null;
  expiresAt?: Date;
}

/**
 * API tokens. People manage their own (acting for their account, so their roles bound what the token
 * may do); the operator also makes tokens that act for no account, their scopes alone (CLI). A token
 * never gets more than the credential that makes it: its scopes and wikis are within the caller's.
 */
export class Tokens {
  constructor(private readonly ctx: PlatformContext) {}

  /** The caller's tokens (revoked ones too, marked). */
  async listMine(caller: Caller): Promise<ApiToken[]> {
    this.ctx.requirePlatformScope(caller, 'wiki:read');
    const userId = this.ctx.requireAccount(caller);
    return (await this.ctx.deps.tokens.list()).filter((t) => t.userId === userId);
  }

  /**
   * A token for the caller's account; the secret is returned once. Its scopes must be ones the
   * account's role allows on its wiki (any wiki, for a token good for every wiki).
   */
  async createMine(caller: Caller, input: NewToken): Promise<{ token: string; info: ApiToken }> {
    this.ctx.requirePlatformScope(caller, 'wiki:admin');
    const user = await this.ctx.account(this.ctx.requireAccount(caller));
    await this.checkWithin(caller, input);
    await checkTokenScopes(this.ctx.deps.members, user, input.wiki, input.scopes);
    return this.ctx.deps.tokens.create({ ...input, userId: user.id });
  }

  async revokeMine(caller: Caller, id: string): Promise<ApiToken> {
    this.ctx.requirePlatformScope(caller, 'wiki:admin');
    const userId = this.ctx.requireAccount(caller);
    const token = (await this.ctx.deps.tokens.list()).find((t) => t.id === id && t.userId === userId);
    if (!token || token.revokedAt) throw new NotFound(`Token not found: ${id}`);
    await this.ctx.deps.tokens.revoke(id);
    return token;
  }

  /** Every token, or one wiki's (platform admins, the operator). */
  async listAll(caller: Caller, wiki?: string): Promise<ApiToken[]> {
    this.ctx.requireAdmin(caller, 'wiki:read');
    return this.ctx.deps.tokens.list(wiki);
  }

  /** A token acting for no account, for a wiki's owners (or the operator for any wiki, or every one). */
  async createForWiki(caller: Caller, input: NewToken): Promise<{ token: string; info: ApiToken }> {
    if (input.wiki === null) this.ctx.requireAdmin(caller, 'wiki:admin');
    else await this.ctx.requireRole(caller, input.wiki, 'owner', 'wiki:admin');
    await this.checkWithin(caller, input);
    return this.ctx.deps.tokens.create({ ...input, userId: null });
  }

  /** Revoke a wiki's account-less token (owners), or any token (platform admins, the operator). */
  async revoke(caller: Caller, id: string, wiki?: string): Promise<ApiToken> {
    if (wiki === undefined) this.ctx.requireAdmin(caller, 'wiki:admin');
    else await this.ctx.requireRole(caller, wiki, 'owner', 'wiki:admin');
    const token = (await this.ctx.deps.tokens.list(wiki)).find(
      (t) => t.id === id && (wiki === undefined || t.userId === null),
    );
    if (!token || token.revokedAt) throw new NotFound(`Token not found: ${id}`);
    await this.ctx.deps.tokens.revoke(id);
    return token;
  }

  private async checkWithin(caller: Caller, input: NewToken): Promise<void> {
    const beyond = input.scopes.filter((s) => !caller.scopes.has(s));
    if (beyond.length > 0)
      throw new Forbidden(`A token cannot get scopes its maker lacks: ${beyond.join(', ')}`);
    if (caller.wikis !== '*' && (input.wiki === null || !caller.wikis.has(input.wiki))) {
      throw new Forbidden('A token cannot reach wikis its maker cannot');
    }
    if (input.wiki !== null && !(await this.ctx.deps.registry.get(input.wiki))) {
      throw new Invalid(`Wiki not found: ${input.wiki}`);
    }
  }
}
