import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from './browser.js';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface TokenResponse {
  status: number;
  body: {
    access_token?: string;
    refresh_token?: string;
    token_type?: string;
    scope?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  headers: Headers;
}

/** A client of the built-in authorization server, speaking the protocol over HTTP as a real one would. */
export class OAuthTestClient {
  constructor(
    readonly issuer: string,
    readonly clientId: string,
    readonly redirectUri: string,
  ) {}

  /** Register with Dynamic Client Registration (RFC 7591) as a public client. */
  static async register(
    issuer: string,
    redirectUri: string,
    extra: Record<string, unknown> = {},
  ): Promise<OAuthTestClient> {
    const response = await fetch(`${issuer}/-/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Test Agent',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        ...extra,
      }),
    });
    const body = (await response.json()) as { client_id?: string; error_description?: string };
    if (response.status !== 201 || !body.client_id)
      throw new Error(`registration failed: ${JSON.stringify(body)}`);
    return new OAuthTestClient(issuer, body.client_id, redirectUri);
  }

  authorizeUrl(params: {
    scope: string;
    resource?: string;
    state?: string;
    challenge?: string;
    redirectUri?: string;
    extra?: Record<string, string>;
  }): string {
    const url = new URL(`${this.issuer}/-/oauth/authorize`);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.clientId);
    url.searchParams.set('redirect_uri', params.redirectUri ?? this.redirectUri);
    url.searchParams.set('scope', params.scope);
    url.searchParams.set('state', params.state ?? 'state-1');
    if (params.resource) url.searchParams.set('resource', params.resource);
    if (params.challenge) {
      url.searchParams.set('code_challenge', params.challenge);
      url.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [k, v] of Object.entries(params.extra ?? {})) url.searchParams.set(k, v);
    return url.href;
  }

  async token(params: Record<string, string>): Promise<TokenResponse> {
    const response = await fetch(`${this.issuer}/-/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: this.clientId, ...params }).toString(),
    });
    return {
      status: response.status,
      body: (await response.json()) as TokenResponse['body'],
      headers: response.headers,
    };
  }

  exchange(code: string, verifier: string, resource?: string): Promise<TokenResponse> {
    return this.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri,
      code_verifier: verifier,
      ...(resource ? { resource } : {}),
    });
  }

  refresh(refreshToken: string, resource?: string): Promise<TokenResponse> {
    return this.token({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...(resource ? { resource } : {}),
    });
  }

  async revoke(token: string): Promise<number> {
    const response = await fetch(`${this.issuer}/-/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: this.clientId, token }).toString(),
    });
    return response.status;
  }
}

export interface Person {
  login: string;
  password: string;
}

/**
 * What a person does in the browser between the client's redirect and the callback: sign in on the
 * login form (if not signed in yet), read the consent page, untick what they do not want, allow.
 * Resolves to the redirect to the client (not requested) and the consent page seen, if any.
 */
export async function authorizeAsUser(
  browser: Browser,
  authorizeUrl: string,
  person: Person,
  options: { redirectUri: string; grant?: string[]; decision?: 'allow' | 'deny' },
): Promise<{ callback: URL; consent?: Page }> {
  const atClient = (url: string) => url.startsWith(options.redirectUri);
  let page = await browser.follow(await browser.get(authorizeUrl), atClient);
  if (page.url.includes('/-/login') && page.status === 200) {
    page = await browser.follow(
      await browser.submit(page, { login: person.login, password: person.password }, '/-/login'),
      atClient,
    );
  }
  let consent: Page | undefined;
  if (!page.location && page.url.includes('/-/oauth/interaction/')) {
    consent = page;
    const boxes = [...page.text.matchAll(/name="scope" value="([^"]+)"/g)].map((m) => m[1] as string);
    const ticked = options.grant
      ? boxes.filter((b) => options.grant?.includes(b.split(' ')[1] as string))
      : boxes;
    page = await browser.follow(
      await browser.submit(page, { decision: options.decision ?? 'allow', scope: ticked }),
      atClient,
    );
  }
  if (!page.location || !atClient(page.location)) {
    throw new Error(
      `expected a redirect to the client, got ${page.status} at ${page.url}: ${page.text.slice(0, 400)}`,
    );
  }
  return { callback: new URL(page.location), ...(consent ? { consent } : {}) };
}
