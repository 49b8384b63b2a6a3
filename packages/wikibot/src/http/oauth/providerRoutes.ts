import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import { clientMetadataFetch, withoutWikiScopes } from '../../auth/oauth/clientScopes.js';
import type { KeySet } from '../../auth/oauth/keys.js';
import { OAUTH_ROUTES } from '../../auth/oauth/routes.js';
import { lazy } from '../../lazy.js';
import type { AppDeps, AppEnv } from '../context.js';
import { clientAddress } from '../forwarded.js';
import { runNodeHandler, toNodeRequest } from './bridge.js';
import { messagePageText } from './pages.js';

/**
 * The built-in authorization server, loaded and created on first use (the issuer is the base URL,
 * known once listening; oidc-provider is a large module that most requests never need), and made
 * anew when the signing keys change (its state lives in the store, not in it).
 */
export function providerOf(deps: AppDeps): () => Promise<Provider> {
  const module = lazy(() => import('../../auth/oauth/provider.js'));
  let provider: Provider | undefined;
  let builtWith: KeySet | undefined;
  return async () => {
    const keys = deps.auth.keys;
    if (!keys) throw new Error('The built-in authorization server is disabled');
    const { createAuthorizationServer } = await module();
    const keySet = keys.current();
    if (provider && builtWith === keySet) return provider;
    builtWith = keySet;
    provider = createAuthorizationServer({
      config: deps.config,
      issuer: deps.baseUrl(),
      keys,
      keySet,
      records: deps.auth.records,
      users: deps.auth.users,
      sessions: deps.auth.sessions,
      registry: deps.registry,
      clientMetadataFetch: clientMetadataFetch(deps.auth.clientMetadataFetch),
      logger: deps.logger,
      errorPage: messagePageText,
    });
    return provider;
  };
}

/**
 * The authorization server's own endpoints: everything under /-/oauth/ except the interaction pages
 * (login and consent, served by wikibot), and the discovery documents at the root.
 */
export function providerRoutes(deps: AppDeps, provider: () => Promise<Provider>): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const handlers = new WeakMap<Provider, ReturnType<Provider['callback']>>();
  const forward = async (c: Context<AppEnv>) => {
    let body: Buffer | undefined;
    if (c.req.path === OAUTH_ROUTES.registration && c.req.method === 'POST') {
      const text = await c.req.text();
      const metadata = jsonOrUndefined(text);
      const address = clientAddress(c, deps.config.http.trusted_proxies);
      const refusal = await deps.auth.registrations.refusal(metadata, address);
      if (refusal) {
        if (refusal.retryAfter) c.header('Retry-After', String(refusal.retryAfter));
        return c.json({ error: refusal.error, error_description: refusal.description }, refusal.status);
      }
      // Wiki scopes are dropped ({@link withoutWikiScopes}); malformed JSON goes on for the provider to refuse.
      body = Buffer.from(metadata === undefined ? text : JSON.stringify(withoutWikiScopes(metadata)));
    }
    const req = await toNodeRequest(c, deps.baseUrl(), body);
    const current = await provider();
    let handler = handlers.get(current);
    if (!handler) {
      handler = current.callback();
      handlers.set(current, handler);
    }
    return runNodeHandler(handler, req);
  };
  router.all('/-/oauth/*', forward);
  router.get('/.well-known/oauth-authorization-server', forward);
  router.get('/.well-known/openid-configuration', forward);
  router.on(
    'OPTIONS',
    ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'],
    forward,
  );
  return router;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
