import type { Config } from '../config.js';
import { MemberStore } from '../platform/members.js';
import type { PlatformDb } from '../platform/store.js';
import type { TokenStore } from '../platform/tokens.js';
import { UserStore } from '../platform/users.js';
import { AccessTokenVerifier } from './accessTokens.js';
import { Authenticator } from './authenticate.js';
import { ExternalIssuers } from './externalIssuers.js';
import { LoginThrottle } from './loginThrottle.js';
import { ID_TOKEN_SECONDS, ServerKeys } from './oauth/keys.js';
import { OAuthRecords } from './oauth/records.js';
import { ClientRegistrations } from './oauth/registration.js';
import { createOutboundFetch, type Fetch } from './outboundFetch.js';
import { SessionStore } from './sessions.js';
import { Throttle } from './throttle.js';
import { UpstreamLogins } from './upstream.js';

/** Accounts, roles, sessions and the token machinery every door authenticates with. */
export interface AuthServices {
  users: UserStore;
  members: MemberStore;
  sessions: SessionStore;
  /** Backoff after failed sign-ins, per account and client address (in the platform store). */
  loginThrottle: LoginThrottle;
  /** The platform store's hit counts, for other throttles (client registration). */
  throttle: Throttle;
  authenticator: Authenticator;
  /** The built-in authorization server's state. */
  records: OAuthRecords;
  /** Who may register a client with it, and how often. */
  registrations: ClientRegistrations;
  /** Its key material; null when the built-in authorization server is off. */
  keys: ServerKeys | null;
  externalIssuers: ExternalIssuers;
  /** "Sign in with …" upstream OpenID providers. */
  upstream: UpstreamLogins;
  /** Fetch for configured issuers and upstream providers (may be on private networks). */
  trustedFetch: Fetch;
  /** Fetch for URLs strangers choose (Client ID Metadata Documents): public addresses only unless allowed. */
  clientMetadataFetch: Fetch;
}

export async function openAuth(config: Config, db: PlatformDb, tokens: TokenStore): Promise<AuthServices> {
  const auth = config.auth;
  const caFile = auth.ca_file ? { caFile: auth.ca_file } : {};
  const trustedFetch = createOutboundFetch({ ...caFile, publicOnly: false });
  const clientMetadataFetch = createOutboundFetch({
    ...caFile,
    publicOnly: !auth.oauth.client_metadata_private_hosts,
  });
  const users = new UserStore(db);
  const throttle = new Throttle(db);
  const members = new MemberStore(db);
  const records = new OAuthRecords(db, auth.oauth.unused_client_days * 86_400);
  const keys = auth.oauth.enabled
    ? await ServerKeys.open(db, {
        tokenLifetimeSeconds: Math.max(auth.oauth.access_token_minutes * 60, ID_TOKEN_SECONDS),
        rotationDays: auth.oauth.signing_key_rotation_days,
      })
    : null;
  const externalIssuers = new ExternalIssuers(auth.issuers, trustedFetch);
  const authenticator = new Authenticator({
    tokens,
    users,
    members,
    accessTokens: new AccessTokenVerifier(keys, records, externalIssuers),
    adminToken: config.admin_token,
  });
  return {
    users,
    members,
    sessions: new SessionStore(db, auth.session_hours * 3_600_000),
    loginThrottle: new LoginThrottle(throttle, users, {
      maxFailures: auth.login_max_failures,
      maxWaitMs: auth.login_window_minutes * 60_000,
    }),
    throttle,
    authenticator,
    records,
    registrations: new ClientRegistrations(records, throttle, {
      perAddress: auth.oauth.registrations_per_address,
      maxClients: auth.oauth.max_clients,
    }),
    keys,
    externalIssuers,
    upstream: new UpstreamLogins(auth.upstream, trustedFetch, records),
    trustedFetch,
    clientMetadataFetch,
  };
}
