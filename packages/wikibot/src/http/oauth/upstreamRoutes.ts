import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { constantTimeEqual } from '../../platform/tokens.js';
import type { User } from '../../platform/users.js';
import { Forbidden, Invalid } from '../../wiki/errors.js';
import type { AppDeps, AppEnv } from '../context.js';
import { safeNext } from '../safeNext.js';
import { startSession } from '../session.js';
import { messagePage } from './pages.js';

const STATE_COOKIE = 'wikibot_upstream_state';
const PATH = '/-/login/with';

/** "Sign in with <provider>": off to the upstream provider, and back to a wikibot session. */
export function upstreamRoutes(deps: AppDeps): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const redirectUri = (name: string) => `${deps.baseUrl()}${PATH}/${name}/callback`;
  const failed = (message: string) =>
    messagePage('Sign-in failed', message, { href: '/-/login', label: 'Back to sign in' });

  router.get(`${PATH}/:name`, async (c) => {
    const name = c.req.param('name');
    if (!deps.auth.upstream.has(name))
      return c.html(failed(`There is no sign-in provider named ${name}.`), 404);
    const next = safeNext(c.req.query('next'), deps.baseUrl());
    try {
      const { url, state } = await deps.auth.upstream.start(name, redirectUri(name), next);
      setCookie(c, STATE_COOKIE, state, {
        path: `${PATH}/${name}/`,
        httpOnly: true,
        sameSite: 'Lax',
        secure: deps.baseUrl().startsWith('https:'),
        maxAge: 600,
      });
      return c.redirect(url, 303);
    } catch (error) {
      deps.logger.warn({ err: error, provider: name }, 'upstream sign-in could not start');
      return c.html(failed(`The sign-in provider ${name} is not reachable right now.`), 502);
    }
  });

  router.get(`${PATH}/:name/callback`, async (c) => {
    const name = c.req.param('name');
    const state = c.req.query('state') ?? '';
    const expected = getCookie(c, STATE_COOKIE) ?? '';
    deleteCookie(c, STATE_COOKIE, { path: `${PATH}/${name}/` });
    if (!deps.auth.upstream.has(name))
      return c.html(failed(`There is no sign-in provider named ${name}.`), 404);
    const problem = c.req.query('error');
    if (problem)
      return c.html(failed(`The provider answered: ${c.req.query('error_description') ?? problem}.`), 400);
    if (!state || !expected || !constantTimeEqual(state, expected)) {
      return c.html(failed('This sign-in was not started in this browser (state mismatch).'), 400);
    }
    const callback = new URL(redirectUri(name));
    callback.search = new URL(c.req.url).search;
    let result: Awaited<ReturnType<typeof deps.auth.upstream.finish>>;
    try {
      result = await deps.auth.upstream.finish(name, callback, state);
    } catch (error) {
      log(deps, name, undefined, false, (error as Error).message);
      return c.html(failed(`The provider's answer was not accepted: ${(error as Error).message}.`), 400);
    }
    let user: User;
    try {
      user = await deps.platform.accounts.signInExternal(result.identity);
    } catch (error) {
      if (!(error instanceof Forbidden || error instanceof Invalid)) throw error;
      log(deps, name, undefined, false, error.message);
      return c.html(failed(`${error.message}.`), 403);
    }
    if (user.disabled) {
      log(deps, name, user.id, false, 'account disabled');
      return c.html(failed('This account is disabled.'), 403);
    }
    log(deps, name, user.id, true, `signed in with ${name}`);
    await startSession(deps, c, user);
    return c.redirect(safeNext(result.next, deps.baseUrl()), 303);
  });
  return router;
}

function log(
  deps: AppDeps,
  provider: string,
  userId: string | undefined,
  allowed: boolean,
  reason: string,
): void {
  deps.logger.info(
    {
      event: 'auth',
      subject: userId ? `user:${userId}` : 'anonymous',
      client: `upstream:${provider}`,
      route: `GET ${PATH}/:name/callback`,
      allowed,
      reason,
    },
    'auth decision',
  );
}
