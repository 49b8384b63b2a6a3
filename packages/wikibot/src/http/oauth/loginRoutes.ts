import { type Context, Hono } from 'hono';
import { passwordProblem } from '../../auth/passwords.js';
import type { AppDeps, AppEnv } from '../context.js';
import { clientAddress } from '../forwarded.js';
import { safeNext } from '../safeNext.js';
import { csrfField, csrfProtect, endSession, formField, startSession } from '../session.js';
import { loginPage, messagePage, passwordChangePage, type UpstreamButton } from './pages.js';

type C = Context<AppEnv>;

/** Sign in with a local password, choose a new password, sign out. */
export function loginRoutes(deps: AppDeps): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const upstream: UpstreamButton[] = deps.config.auth.upstream.map((u) => ({
    name: u.name,
    label: u.display_name ?? u.name,
  }));
  const next = (c: C, value?: string) => safeNext(value ?? c.req.query('next'), deps.baseUrl());
  const showLogin = (
    c: C,
    status: 200 | 401 | 429,
    extra: { error?: string; login?: string; next?: string } = {},
  ) => c.html(loginPage({ next: extra.next ?? next(c), csrf: csrfField(c), upstream, ...extra }), status);

  router.get('/-/login', (c) => {
    if (c.get('session')) return c.redirect(next(c), 303);
    return showLogin(c, 200);
  });

  router.post('/-/login', csrfProtect(), async (c) => {
    const login = ((await formField(c, 'login')) ?? '').trim();
    const password = (await formField(c, 'password')) ?? '';
    const target = next(c, await formField(c, 'next'));
    const address = clientAddress(c, deps.config.http.trusted_proxies);
    const wait = await deps.auth.loginThrottle.take(login, address);
    if (wait > 0) {
      logLogin(deps, login, address, false, 'rate limited');
      c.header('Retry-After', String(wait));
      return showLogin(c, 429, {
        login,
        next: target,
        error: `Too many failed sign-ins. Try again in ${wait} seconds.`,
      });
    }
    const user = login && password ? await deps.auth.users.checkPassword(login, password) : null;
    if (!user) {
      logLogin(deps, login, address, false, 'wrong username or password');
      return showLogin(c, 401, { login, next: target, error: 'Wrong username or password.' });
    }
    await deps.auth.loginThrottle.succeeded(login, address);
    logLogin(deps, login, address, true, 'password', user.id);
    await startSession(deps, c, user);
    if (user.passwordChangeRequired)
      return c.redirect(`/-/login/password?next=${encodeURIComponent(target)}`, 303);
    return c.redirect(target, 303);
  });

  router.get('/-/login/password', async (c) => {
    const signedIn = c.get('session');
    if (!signedIn) return c.redirect(`/-/login?next=${encodeURIComponent(c.req.path)}`, 303);
    const user = await deps.auth.users.get(signedIn.userId);
    if (!user?.hasPassword) {
      return c.html(
        messagePage(
          'No password here',
          `${signedIn.username} signs in through another provider and has no wikibot password.`,
        ),
      );
    }
    return c.html(
      passwordChangePage({
        next: next(c),
        csrf: csrfField(c),
        username: signedIn.username,
        forced: user.passwordChangeRequired,
      }),
    );
  });

  router.post('/-/login/password', csrfProtect(), async (c) => {
    const signedIn = c.get('session');
    if (!signedIn) return c.redirect('/-/login', 303);
    const target = next(c, await formField(c, 'next'));
    const current = (await formField(c, 'current')) ?? '';
    const password = (await formField(c, 'password')) ?? '';
    const confirm = (await formField(c, 'confirm')) ?? '';
    const user = await deps.auth.users.get(signedIn.userId);
    const again = (error: string, status: 400 | 429 = 400) =>
      c.html(
        passwordChangePage({
          next: target,
          csrf: csrfField(c),
          username: signedIn.username,
          forced: !!user?.passwordChangeRequired,
          error,
        }),
        status,
      );
    const address = clientAddress(c, deps.config.http.trusted_proxies);
    const wait = await deps.auth.loginThrottle.take(signedIn.username, address);
    if (wait > 0) return again(`Too many wrong passwords. Try again in ${wait} seconds.`, 429);
    if (!user || !(await deps.auth.users.checkPassword(user.username, current))) {
      return again('The current password is wrong.');
    }
    await deps.auth.loginThrottle.succeeded(user.username, address);
    if (password !== confirm) return again('The new passwords do not match.');
    if (password === current) return again('The new password must differ from the current one.');
    const problem = passwordProblem(password);
    if (problem) return again(`${problem}.`);
    await deps.auth.users.setPassword(user.id, password);
    await deps.auth.sessions.destroyAllFor(user.id);
    await startSession(deps, c, user);
    return c.redirect(target, 303);
  });

  router.post('/-/logout', csrfProtect(), async (c) => {
    await endSession(deps, c);
    return c.redirect(next(c, await formField(c, 'next')), 303);
  });

  router.get('/-/logout', (c) =>
    c.html(
      messagePage('Sign out', 'Signing out needs the button on the page you came from.', {
        href: '/',
        label: 'Home',
      }),
      405,
    ),
  );
  return router;
}

function logLogin(
  deps: AppDeps,
  login: string,
  address: string,
  allowed: boolean,
  reason: string,
  userId?: string,
): void {
  deps.logger.info(
    {
      event: 'auth',
      subject: userId ? `user:${userId}` : 'anonymous',
      login: login.slice(0, 100),
      peer: address,
      route: 'POST /-/login',
      allowed,
      reason,
    },
    'auth decision',
  );
}
