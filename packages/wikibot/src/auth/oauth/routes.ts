/*
 * The authorization server's addresses and scopes, apart from the server itself so that routing and
 * consent can name them without loading oidc-provider.
 */

/** Where the authorization server's endpoints live, below the issuer (this server's base URL). */
export const OAUTH_ROUTES = {
  authorization: '/-/oauth/authorize',
  token: '/-/oauth/token',
  jwks: '/-/oauth/jwks',
  registration: '/-/oauth/register',
  revocation: '/-/oauth/revoke',
  userinfo: '/-/oauth/userinfo',
  end_session: '/-/oauth/logout',
  introspection: '/-/oauth/introspect',
  pushed_authorization_request: '/-/oauth/par',
} as const;

export const INTERACTION_PATH = '/-/oauth/interaction';

/** OpenID scopes the server knows besides the wiki scopes (which are per resource). */
export const OPENID_SCOPES = ['openid', 'offline_access', 'profile', 'email'];
