import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import { clientMetadataFetch, withoutWikiScopes } from '../../auth/oauth/clientScopes.js';
import { OAUTH_ROUTES } from '../../auth/oauth/routes.js';
import { lazy } from '../../lazy.js';
import type { AppDeps, AppEnv } from '../context.js';
import { runNodeHandler, toNodeRequest } from './bridge.js';
import { messagePageText } from './pages.js';

/**
 * The built-in authorization server, loaded and created on first use (the issuer is the base URL,
 * known once listening; oidc-provider is a large module that most requests never need).
 */
export function providerOf(deps: AppDeps): () => Promise<Provider> {
  return lazy(async () => {
    const keys = deps.auth.keys;
    if (!keys) throw new Error('The built-in authorization server is disabled');
    const { createAuthorizationServer } = await import('../../auth/oauth/provider.js');
    return createAuthorizationServer({
      config: deps.config,
      issuer: deps.baseUrl(),
      keys,
      records: deps.auth.records,
      users: deps.auth.users,
      sessions: deps.auth.sessions,
      registry: deps.registry,
      clientMetadataFetch: clientMetadataFetch(deps.auth.clientMetadataFetch),
      logger: deps.logger,
      errorPage: messagePageText,
    });
  });
}

/**
 * The authorization server's own endpoints: everything under /-/oauth/ except the interaction pages
 * (login and consent, served by wikibot), and the discovery documents at the root.
 */
export function providerRoutes(deps: AppDeps, provider: () => Promise<Provider>): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  let handler: ReturnType<Provider['callback']> | undefined;
  const forward = async (c: Context<AppEnv>) => {
    const body =
      c.req.path === OAUTH_ROUTES.registration && c.req.method === 'POST'
        ? await registrationBody(c.req.raw)
        : undefined;
    const req = await toNodeRequest(c, deps.baseUrl(), body);
    handler ??= (await provider()).callback();
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

/** A registration request with its wiki scopes dropped ({@link withoutWikiScopes}). */
async function registrationBody(request: Request): Promise<Buffer> {
  const text = await request.text();
  try {
    return Buffer.from(JSON.stringify(withoutWikiScopes(JSON.parse(text))));
  } catch {
    return Buffer.from(text);
  }
}
