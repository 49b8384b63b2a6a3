import type { Hono } from 'hono';
import { callerFor } from '../../../platform/service/index.js';
import { Conflict, Invalid } from '../../../wiki/errors.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { field, formBody } from '../request.js';
import { tokenRequest } from '../token-form.js';
import { PLATFORM } from '../urls.js';
import { platformChrome } from '../viewer.js';
import { ACCOUNT, AccountPage } from '../views/account.js';

/** The signed-in person's own page: profile, their wikis, their API tokens. */
export function accountRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get(ACCOUNT.page, (c) => accountPage(c, deps, null, null));

  app.post(ACCOUNT.profile, async (c) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    const form = await formBody(c);
    try {
      await deps.auth.users.updateProfile(session.userId, {
        displayName: field(form, 'display_name'),
        email: field(form, 'email').trim() || null,
      });
    } catch (error) {
      if (error instanceof Invalid || error instanceof Conflict)
        return accountPage(c, deps, null, error.message, 422);
      throw error;
    }
    return redirectWith(c, ACCOUNT.page, 'Profile saved.');
  });

  app.post(ACCOUNT.tokens, async (c) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    const form = await formBody(c);
    try {
      const wiki = field(form, 'wiki') || null;
      const request = tokenRequest(form);
      const user = await deps.auth.users.get(session.userId);
      if (!user) return c.redirect(PLATFORM.login(ACCOUNT.page), 303);
      const { token } = await deps.platform.tokens.createMine(callerFor(user), { ...request, wiki });
      return accountPage(c, deps, token, null);
    } catch (error) {
      if (error instanceof Invalid) return accountPage(c, deps, null, error.message, 422);
      throw error;
    }
  });

  app.post(ACCOUNT.revoke, async (c) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    const id = field(await formBody(c), 'id');
    const user = await deps.auth.users.get(session.userId);
    if (!user) return c.redirect(PLATFORM.login(ACCOUNT.page), 303);
    const token = await deps.platform.tokens.revokeMine(callerFor(user), id);
    return redirectWith(c, ACCOUNT.page, `Revoked the token “${token.name}”.`);
  });
}

/** The session, or a redirect to the login page for visitors who are not signed in. */
function requireSession(c: WebContext) {
  const session = c.get('session');
  return session ?? c.redirect(PLATFORM.login(ACCOUNT.page), 303);
}

async function accountPage(
  c: WebContext,
  deps: WebDeps,
  created: string | null,
  problem: string | null,
  status: 200 | 422 = 200,
) {
  const session = requireSession(c);
  if (session instanceof Response) return session;
  const user = await deps.auth.users.get(session.userId);
  if (!user) return c.redirect(PLATFORM.login(ACCOUNT.page), 303);
  const [memberships, wikis, tokens] = await Promise.all([
    deps.auth.members.wikisOf(user.id),
    deps.registry.list(),
    deps.tokens.list(),
  ]);
  const usable = user.isAdmin ? wikis : wikis.filter((w) => memberships.some((m) => m.wiki === w.slug));
  return c.html(
    <AccountPage
      chrome={platformChrome(c, deps)}
      user={user}
      memberships={memberships}
      wikis={usable}
      tokens={tokens.filter((t) => t.userId === user.id)}
      created={created}
      problem={problem}
    />,
    status,
  );
}
