import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthProvider,
  Client,
  type OAuthClientInformationContext,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type { Browser } from './browser.js';
import { authorizeAsUser, type Person } from './oauthClient.js';

/**
 * What an MCP host keeps for one server (as Claude Code does): client registration, tokens, PKCE
 * verifier and discovery state, in memory. `redirectToAuthorization` records the URL the host would
 * open in the person's browser.
 */
export class MemoryOAuthProvider implements OAuthClientProvider {
  private client?: StoredOAuthClientInformation;
  private stored?: StoredOAuthTokens;
  private verifier = '';
  private discovery?: OAuthDiscoveryState;
  /** Authorization URLs the host was asked to open, oldest first. */
  readonly opened: URL[] = [];
  clientMetadataUrl?: string;

  constructor(
    readonly redirectUrl: string,
    options: { clientMetadataUrl?: string } = {},
  ) {
    if (options.clientMetadataUrl) this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK Agent',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation(_ctx?: OAuthClientInformationContext) {
    return this.client;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.opened.push(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** The loopback redirect URI a native MCP host listens on while the person signs in. */
export async function callbackListener(): Promise<{
  url: string;
  received: URLSearchParams[];
  close(): Promise<void>;
}> {
  const received: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    received.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this window.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An SDK client and its transport for the MCP endpoint at `url`, authorizing through `provider`. */
export function mcpClient(
  url: string,
  provider: OAuthClientProvider | AuthProvider,
  fetch?: typeof globalThis.fetch,
): { client: Client; transport: StreamableHTTPClientTransport } {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    authProvider: provider,
    ...(fetch ? { fetch } : {}),
  });
  return { client: new Client({ name: 'sdk-agent', version: '1.0.0' }), transport };
}

export interface LoginParts {
  /** The host's loopback redirect listener. */
  callback: Awaited<ReturnType<typeof callbackListener>>;
  person: Person;
  /** Scopes the person leaves ticked on the consent page (default: all). */
  grant?: string[];
}

/**
 * The person's part: open the URL the host was asked to open, sign in and consent, and land on the
 * host's loopback callback. Resolves to the callback's parameters.
 */
export async function personAuthorizes(
  provider: MemoryOAuthProvider,
  browser: Browser,
  { callback, person, grant }: LoginParts,
): Promise<URLSearchParams> {
  const url = provider.opened.at(-1);
  if (!url) throw new Error('the host opened no authorization URL');
  const before = callback.received.length;
  const { callback: landing } = await authorizeAsUser(browser, url.href, person, {
    redirectUri: callback.url,
    ...(grant ? { grant } : {}),
  });
  await browser.get(landing.href);
  expect(callback.received.length).toBe(before + 1);
  return callback.received.at(-1) as URLSearchParams;
}

/** Connect as a host does: on 401 the person authorizes in the browser, then the host connects again. */
export async function connectWithLogin(
  url: string,
  provider: MemoryOAuthProvider,
  browser: Browser,
  parts: LoginParts,
): Promise<Client> {
  const first = mcpClient(url, provider);
  await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);
  await first.transport.finishAuth(await personAuthorizes(provider, browser, parts));
  const second = mcpClient(url, provider);
  await second.client.connect(second.transport);
  return second.client;
}

/** RFC 7009 revocation of one of the host's tokens at the authorization server; the response status. */
export async function revokeToken(
  issuer: string,
  provider: OAuthClientProvider,
  token: string,
): Promise<number> {
  const response = await fetch(`${issuer}/-/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: (await provider.clientInformation())?.client_id as string,
      token,
    }),
  });
  return response.status;
}

/** A bare `tools/list` call with a bearer token, bypassing the SDK (which would refresh or re-authorize). */
export function rawToolsList(
  url: string,
  accessToken: string,
  viaFetch: typeof fetch = fetch,
): Promise<Response> {
  return viaFetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}
