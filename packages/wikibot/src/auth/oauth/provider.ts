import Provider, { type Configuration, errors, type JWKS, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { SCOPES } from '../../platform/tokens.js';
import type { UserStore } from '../../platform/users.js';
import { wikiDomain } from '../../platform/wikiHosts.js';
import type { WikiRegistry } from '../../platform/wikis.js';
import { GRANT_CLAIM } from '../accessTokens.js';
import type { Fetch } from '../outboundFetch.js';
import { wikiOfResource } from '../resources.js';
import type { SessionStore } from '../sessions.js';
import { revokeJwtAccessTokens } from './jwtRevocation.js';
import { ID_TOKEN_SECONDS, type KeySet, type ServerKeys, SIGNING_ALG } from './keys.js';
import { wikiConsentPolicy } from './policy.js';
import type { OAuthRecords } from './records.js';
import { INTERACTION_PATH, OAUTH_ROUTES, OPENID_SCOPES } from './routes.js';

/** What a client gets to ask the user for when its authorization request names no scope. */
const DEFAULT_WIKI_SCOPE = 'wiki:read';

export interface ProviderDeps {
  config: Config;
  issuer: string;
  keys: ServerKeys;
  /** The keys this instance signs with and publishes (a rotation makes a new instance). */
  keySet: KeySet;
  records: OAuthRecords;
  users: UserStore;
  sessions: SessionStore;
  registry: WikiRegistry;
  /** Fetch for Client ID Metadata Documents: URLs chosen by strangers. */
  clientMetadataFetch: Fetch;
  logger: Logger;
  /** The HTML of an error page shown to a person in the browser. */
  errorPage(title: string, message: string): Promise<string>;
}

/**
 * The built-in OAuth 2.1 authorization server (oidc-provider): authorization code with PKCE S256
 * only, rotating refresh tokens with reuse detection, revocation, RFC 8414 and OIDC discovery,
 * Dynamic Client Registration, Client ID Metadata Documents, resource indicators → JWT access tokens
 * whose audience is one wiki, `iss` in authorization responses. Login and consent happen in wikibot's
 * own pages (http/oauth).
 */
export function createAuthorizationServer(deps: ProviderDeps): Provider {
  const { config, keys, records, users, logger } = deps;
  const oauth = config.auth.oauth;
  const configuration: Configuration = {
    adapter: (model: string) => records.adapter(model),
    // The signing key first: oidc-provider signs ID tokens with the first key that fits.
    jwks: { keys: deps.keySet.keys } as JWKS,
    cookies: {
      keys: keys.cookieKeys,
      names: {
        session: 'wikibot_oauth_session',
        interaction: 'wikibot_oauth_interaction',
        resume: 'wikibot_oauth_resume',
      },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: OAUTH_ROUTES,
    scopes: OPENID_SCOPES,
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      id_token_signed_response_alg: SIGNING_ALG,
    },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    pkce: { required: () => true },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    clockTolerance: 5,
    ttl: {
      AccessToken: oauth.access_token_minutes * 60,
      AuthorizationCode: 60,
      RefreshToken: oauth.refresh_token_days * 86_400,
      Grant: 365 * 86_400,
      IdToken: ID_TOKEN_SECONDS,
      Interaction: 3600,
      Session: 14 * 86_400,
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: oauth.dynamic_registration, initialAccessToken: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      // The resource servers accept bearer tokens only; sender-constrained tokens would be accepted unbound.
      dPoP: { enabled: false },
      clientIdMetadataDocument: {
        enabled: oauth.client_metadata_documents,
        ack: 'draft-02',
        cacheDuration: { min: 60, max: 3600 },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? undefined,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          const slug = wikiOfResource(
            { baseUrl: deps.issuer, wikiDomain: wikiDomain(config, deps.issuer) },
            resource,
          );
          if (!slug || !(await deps.registry.get(slug)))
            throw new errors.InvalidTarget(`Unknown resource: ${resource}`);
          return {
            scope: SCOPES.join(' '),
            audience: resource,
            accessTokenTTL: oauth.access_token_minutes * 60,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG, kid: deps.keySet.signing.kid } },
          };
        },
      },
    },
    extraTokenClaims: async (_ctx, token) =>
      'grantId' in token && token.grantId ? { [GRANT_CLAIM]: token.grantId } : undefined,
    fetch: deps.clientMetadataFetch,
    fetchResponseBodyLimits: { 'client_id metadata document': 16 * 1024 },
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' &&
      (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    interactions: {
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
      policy: wikiConsentPolicy(deps.sessions),
    },
    findAccount: async (_ctx, id) => {
      const user = await users.get(id);
      if (!user || user.disabled || user.passwordChangeRequired) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          preferred_username: user.username,
          name: user.displayName,
          ...(user.email ? { email: user.email } : {}),
        }),
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = await deps.errorPage(
        'Sign-in could not continue',
        out.error_description ?? out.error ?? 'Unknown error',
      );
    },
  };

  const provider = new Provider(deps.issuer, configuration);
  // Requests reach the provider with Host and X-Forwarded-Proto rewritten from the base URL.
  provider.proxy = true;
  defaultScope(provider);
  revokeJwtAccessTokens(provider, keys, records);
  logEvents(provider, logger);
  return provider;
}

/**
 * RFC 6749 §3.3: a request that omits `scope` is processed with a default. For a wiki resource that
 * is read access (oidc-provider would otherwise refuse it: nothing to grant).
 */
function defaultScope(provider: Provider): void {
  provider.use(async (ctx, next) => {
    const { query } = ctx;
    if (ctx.method === 'GET' && ctx.path === OAUTH_ROUTES.authorization && !query.scope && query.resource) {
      ctx.query = { ...query, scope: DEFAULT_WIKI_SCOPE };
    }
    await next();
  });
}

/** Auth log lines for what the authorization server decides (never a token value). */
function logEvents(provider: Provider, logger: Logger): void {
  const log = (ctx: KoaContextWithOIDC, allowed: boolean, reason: string) =>
    logger.info(
      {
        event: 'auth',
        subject: ctx.oidc?.session?.accountId ?? ctx.oidc?.entities.Grant?.accountId ?? 'anonymous',
        client: ctx.oidc?.client?.clientId,
        route: `${ctx.method} ${ctx.path}`,
        scopes: ctx.oidc?.params?.scope ? String(ctx.oidc.params.scope).split(' ') : [],
        resource: ctx.oidc?.params?.resource,
        allowed,
        reason,
      },
      'auth decision',
    );
  provider.on('grant.success', (ctx) =>
    log(ctx, true, `token issued (${String(ctx.oidc.params?.grant_type)})`),
  );
  provider.on('grant.error', (ctx, error) =>
    log(ctx, false, `token refused: ${error.message} ${error.error_description ?? ''}`.trim()),
  );
  provider.on('authorization.error', (ctx, error) =>
    log(ctx, false, `authorization refused: ${error.message} ${error.error_description ?? ''}`.trim()),
  );
  provider.on('registration_create.success', (ctx) => log(ctx, true, 'client registered'));
  provider.on('registration_create.error', (ctx, error) =>
    log(ctx, false, `registration refused: ${error.error_description ?? error.message}`),
  );
  provider.on('grant.revoked', (ctx, grantId) => log(ctx, false, `grant ${grantId} revoked with its tokens`));
  provider.on('revocation.error', (ctx, error) => log(ctx, false, `revocation refused: ${error.message}`));
  provider.on('server_error', (ctx, error) =>
    logger.error({ err: error, route: `${ctx.method} ${ctx.path}` }, 'authorization server error'),
  );
}
