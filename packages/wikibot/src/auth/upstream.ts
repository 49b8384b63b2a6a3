import type * as oidc from 'openid-client';
import type { Config } from '../config.js';
import { lazy } from '../lazy.js';
import type { ExternalIdentity } from '../platform/users.js';
import type { OAuthRecords } from './oauth/records.js';
import type { Fetch } from './outboundFetch.js';

export type UpstreamConfig = Config['auth']['upstream'][number];

/** A sign-in started and not yet finished: what the callback needs to check the answer. */
interface PendingLogin {
  provider: string;
  verifier: string;
  nonce: string;
  next: string;
}

const PENDING_MODEL = 'UpstreamLogin';
const PENDING_SECONDS = 600;
const RETRY_AFTER_MS = 30_000;

/**
 * "Sign in with …": wikibot as an OpenID Connect relying party (openid-client) of the configured
 * upstream providers. Authorization code with PKCE, state and nonce; the ID token is verified by
 * openid-client (signature, issuer, audience, nonce, expiry) and its `iss` + `sub` become the identity.
 */
/** openid-client, loaded at the first sign-in through a provider rather than at every start. */
const openidClient = lazy(() => import('openid-client'));

export class UpstreamLogins {
  private readonly discovered = new Map<string, { config: Promise<oidc.Configuration>; failedAt?: number }>();

  constructor(
    private readonly configs: UpstreamConfig[],
    private readonly fetch: Fetch,
    private readonly records: OAuthRecords,
  ) {}

  has(name: string): boolean {
    return this.configs.some((c) => c.name === name);
  }

  /** The provider's authorization URL, and the state to bind to the browser (cookie). */
  async start(name: string, redirectUri: string, next: string): Promise<{ url: string; state: string }> {
    const { upstream, config, client } = await this.provider(name);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const pending: PendingLogin = { provider: name, verifier, nonce, next };
    await this.records.adapter(PENDING_MODEL).upsert(state, { ...pending }, PENDING_SECONDS);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: upstream.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Check the provider's answer (`callbackUrl` is the redirect URI with its query) against the sign-in
   * this browser started, and return who signed in and where they were going.
   */
  async finish(
    name: string,
    callbackUrl: URL,
    state: string,
  ): Promise<{ identity: ExternalIdentity; next: string }> {
    const adapter = this.records.adapter(PENDING_MODEL);
    const pending = (await adapter.find(state)) as PendingLogin | undefined;
    await adapter.destroy(state);
    if (!pending || pending.provider !== name)
      throw new Error('This sign-in was not started here or has expired');
    const { upstream, config, client } = await this.provider(name);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('The provider returned no ID token');
    // Many providers put profile and e-mail claims only in UserInfo (checked to be about the same subject).
    const userInfo = config.serverMetadata().userinfo_endpoint
      ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
      : {};
    const claims: Record<string, unknown> = { ...userInfo, ...idToken };
    const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
    const email = claims.email_verified === false ? undefined : text(claims.email);
    const username = text(claims.preferred_username) ?? text(claims.nickname);
    const displayName = text(claims.name);
    return {
      identity: {
        issuer: upstream.issuer,
        subject: idToken.sub,
        ...(username ? { username } : {}),
        ...(email ? { email } : {}),
        ...(displayName ? { displayName } : {}),
      },
      next: pending.next,
    };
  }

  private async provider(
    name: string,
  ): Promise<{ upstream: UpstreamConfig; config: oidc.Configuration; client: typeof oidc }> {
    const upstream = this.configs.find((c) => c.name === name);
    if (!upstream) throw new Error(`Unknown sign-in provider: ${name}`);
    const client = await openidClient();
    let entry = this.discovered.get(name);
    if (!entry || (entry.failedAt !== undefined && Date.now() - entry.failedAt > RETRY_AFTER_MS)) {
      const config = client.discovery(
        new URL(upstream.issuer),
        upstream.client_id,
        upstream.client_secret,
        upstream.client_secret ? client.ClientSecretBasic(upstream.client_secret) : client.None(),
        {
          [client.customFetch]: this.fetch as oidc.CustomFetch,
          ...(upstream.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}),
        },
      );
      const fresh: { config: Promise<oidc.Configuration>; failedAt?: number } = { config };
      config.catch(() => {
        fresh.failedAt = Date.now();
      });
      entry = fresh;
      this.discovered.set(name, entry);
    }
    return { upstream, config: await entry.config, client };
  }
}
