import { jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import type { ServerKeys } from './keys.js';
import type { OAuthRecords } from './records.js';

/**
 * oidc-provider answers `unsupported_token_type` when a JWT access token is sent to the revocation
 * endpoint (it keeps no record of them). RFC 7009 lets a client revoke its access tokens, so after the
 * provider has authenticated the client we take over such a request: a genuine token of ours issued
 * to that client is remembered as revoked until it expires, and the resource servers refuse it.
 */
export function revokeJwtAccessTokens(provider: Provider, keys: ServerKeys, records: OAuthRecords): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'revocation' || ctx.status !== 400) return;
    const body = ctx.body as { error?: string } | undefined;
    const token = ctx.oidc.params?.token;
    const client = ctx.oidc.client;
    if (body?.error !== 'unsupported_token_type' || typeof token !== 'string' || !client) return;
    try {
      const { payload } = await jwtVerify(token, keys.verificationKeys, {
        issuer: provider.issuer,
        typ: 'at+jwt',
      });
      if (
        payload.client_id === client.clientId &&
        typeof payload.jti === 'string' &&
        typeof payload.exp === 'number'
      ) {
        await records.revokeAccessToken(payload.jti, payload.exp);
      }
    } catch {
      // Not ours, tampered or already expired: RFC 7009 answers 200 all the same.
    }
    ctx.status = 200;
    ctx.body = '';
  });
}
