import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type JWKS } from 'oidc-provider';
import { Browser } from '../../oauth/support/browser.js';
import { pkce } from '../../oauth/support/oauthClient.js';

export interface ExternalIssuer {
  issuer: string;
  /** The client wikibot signs people in with ("sign in with"). */
  loginClient: { id: string; secret: string };
  /** Get an access token for `resource` as `subject`, through the issuer's own login and consent pages. */
  accessToken(subject: string, resource: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

const AGENT_REDIRECT = 'http://127.0.0.1:9/agent-callback';
/** The confidential client wikibot is registered as at the external issuer. */
export const EXTERNAL_LOGIN_CLIENT = { id: 'wikibot', secret: 'wikibot-client-secret-for-tests' };

/**
 * A second, independent authorization server on loopback, as an external issuer would be (WorkOS,
 * Auth0, Keycloak): another oidc-provider configured differently — its own ES256 key, its own
 * development login pages (any username; it becomes `sub`), JWT access tokens for any resource.
 * The HTTP server starts first so its issuer URL can go into wikibot's configuration; `configure`
 * then needs wikibot's callback URL.
 */
export async function listenExternalIssuer(): Promise<{
  issuer: string;
  configure(wikibotCallback: string): Promise<ExternalIssuer>;
}> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    issuer,
    async configure(wikibotCallback) {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const loginClient = EXTERNAL_LOGIN_CLIENT;
      const provider = new Provider(issuer, {
        jwks: {
          keys: [{ ...(await exportJWK(privateKey)), kid: 'external-1', alg: 'ES256', use: 'sig' }],
        } as JWKS,
        clients: [
          {
            client_id: loginClient.id,
            client_secret: loginClient.secret,
            redirect_uris: [wikibotCallback],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            id_token_signed_response_alg: 'ES256',
          },
          {
            client_id: 'agent',
            token_endpoint_auth_method: 'none',
            redirect_uris: [AGENT_REDIRECT],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            id_token_signed_response_alg: 'ES256',
          },
        ],
        cookies: { keys: ['external-issuer-cookie-key'] },
        scopes: ['openid', 'email', 'profile'],
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name', 'preferred_username'],
        },
        findAccount: async (_ctx, id) => ({
          accountId: id,
          claims: async () => ({
            sub: id,
            email: `${id}@external.example`,
            email_verified: true,
            preferred_username: id,
            name: `External ${id}`,
          }),
        }),
        features: {
          devInteractions: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: async (_ctx, _client, oneOf) => oneOf ?? undefined,
            useGrantedResource: async () => true,
            getResourceServerInfo: async (_ctx, resource) => ({
              scope: 'wiki:read wiki:write',
              audience: resource,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES256' } },
            }),
          },
        },
      });
      http.on('request', provider.callback());

      return {
        issuer,
        loginClient,
        async accessToken(subject, resource, scope = 'wiki:read') {
          const browser = new Browser();
          const { verifier, challenge } = pkce();
          const url = new URL(`${issuer}/auth`);
          for (const [k, v] of Object.entries({
            response_type: 'code',
            client_id: 'agent',
            redirect_uri: AGENT_REDIRECT,
            scope,
            resource,
            code_challenge: challenge,
            code_challenge_method: 'S256',
            state: 'x',
          })) {
            url.searchParams.set(k, v);
          }
          const code = new URL(
            await signInThroughDevPages(browser, url.href, subject, AGENT_REDIRECT),
          ).searchParams.get('code');
          const response = await fetch(`${issuer}/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              client_id: 'agent',
              code: code ?? '',
              redirect_uri: AGENT_REDIRECT,
              code_verifier: verifier,
              resource,
            }).toString(),
          });
          const body = (await response.json()) as { access_token?: string };
          if (!body.access_token) throw new Error(`external token request failed: ${JSON.stringify(body)}`);
          return body.access_token;
        },
        close: () =>
          new Promise<void>((resolve) => {
            http.close(() => resolve());
            http.closeAllConnections();
          }),
      };
    },
  };
}

/**
 * Drive the external issuer's development login and consent pages; resolves to the URL it redirects
 * to at `redirect` (not requested), carrying the code.
 */
export async function signInThroughDevPages(
  browser: Browser,
  start: string,
  subject: string,
  redirect: string,
): Promise<string> {
  const atClient = (u: string) => u.startsWith(redirect);
  let page = await browser.follow(await browser.get(start), atClient);
  for (let step = 0; step < 4 && !(page.location && atClient(page.location)); step++) {
    const fields: Record<string, string> = page.text.includes('name="login"')
      ? { login: subject, password: 'anything' }
      : {};
    page = await browser.follow(await browser.submit(page, fields), atClient);
  }
  if (!page.location || !atClient(page.location)) {
    throw new Error(
      `no redirect from the external issuer: ${page.status} ${page.url} ${page.text.slice(0, 300)}`,
    );
  }
  return page.location;
}
