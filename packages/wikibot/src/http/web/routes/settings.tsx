import type { Hono } from 'hono';
import { parseRole, type Role } from '../../../platform/members.js';
import { Invalid, NotFound } from '../../../wiki/errors.js';
import { connection } from '../connect.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { needs } from '../gate.js';
import { field, formBody } from '../request.js';
import { tokenRequest } from '../token-form.js';
import { wikiPageUrl } from '../urls.js';
import { wikiChrome } from '../viewer.js';
import { SettingsPage } from '../views/settings.js';

/** Wiki settings (owners): visibility, members and roles, API tokens, how to connect agents. */
export function settingsRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  const admin = needs(deps, 'admin');

  app.get('/w/:slug/-/settings', admin, (c) => settingsPage(c, deps, null, null));

  app.post('/w/:slug/-/settings/tokens', admin, async (c) => {
    const slug = c.get('access').record.slug;
    try {
      const request = tokenRequest(await formBody(c));
      const { token } = await deps.tokens.create({ wiki: slug, ...request });
      return settingsPage(c, deps, token, null);
    } catch (error) {
      if (error instanceof Invalid) return settingsPage(c, deps, null, error.message, 422);
      throw error;
    }
  });

  app.post('/w/:slug/-/settings/public', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const form = await formBody(c);
    const isPublic = field(form, 'public') === 'true';
    if (isPublic && field(form, 'confirm') !== 'yes') {
      return settingsPage(c, deps, null, 'To make the wiki public, confirm that anyone may read it.', 422);
    }
    await deps.auth.members.setPublic(slug, isPublic);
    return redirectWith(
      c,
      wikiPageUrl(slug, 'settings'),
      isPublic ? 'The wiki is now public.' : 'The wiki is now private.',
    );
  });

  app.post('/w/:slug/-/settings/members', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const form = await formBody(c);
    try {
      const login = field(form, 'login').trim();
      const user = await deps.auth.users.byLogin(login);
      if (!user) throw new Invalid(`No account is called ${login || '(empty)'}`);
      const role = parseRole(field(form, 'role'));
      await keepAnOwner(deps, slug, user.id, role);
      await deps.auth.members.grant(slug, user.id, role);
      return redirectWith(c, wikiPageUrl(slug, 'settings'), `${user.username} is now ${role} of this wiki.`);
    } catch (error) {
      if (error instanceof Invalid) return settingsPage(c, deps, null, error.message, 422);
      throw error;
    }
  });

  app.post('/w/:slug/-/settings/members/remove', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const userId = field(await formBody(c), 'user');
    try {
      await keepAnOwner(deps, slug, userId, null);
      await deps.auth.members.revoke(slug, userId);
    } catch (error) {
      if (error instanceof Invalid) return settingsPage(c, deps, null, error.message, 422);
      throw error;
    }
    return redirectWith(c, wikiPageUrl(slug, 'settings'), 'Member removed.');
  });

  app.post('/w/:slug/-/settings/tokens/revoke', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const id = field(await formBody(c), 'id');
    const token = (await deps.tokens.list(slug)).find((t) => t.id === id && t.userId === null);
    if (!token) throw new NotFound(`Token not found: ${id}`);
    await deps.tokens.revoke(token.id);
    return redirectWith(c, wikiPageUrl(slug, 'settings'), `Revoked the token “${token.name}”.`);
  });
}

/** Refuse a change that would leave the wiki without an owner (`role` null: the member is removed). */
async function keepAnOwner(deps: WebDeps, slug: string, userId: string, role: Role | null): Promise<void> {
  if (role === 'owner') return;
  const owners = (await deps.auth.members.list(slug)).filter((m) => m.role === 'owner');
  if (owners.length === 1 && owners[0]?.userId === userId) {
    throw new Invalid('A wiki needs at least one owner: make someone else owner first');
  }
}

async function settingsPage(
  c: WebContext,
  deps: WebDeps,
  created: string | null,
  problem: string | null,
  status: 200 | 422 = 200,
) {
  const slug = c.get('access').record.slug;
  const [chrome, tokens, members, users] = await Promise.all([
    wikiChrome(c, deps),
    deps.tokens.list(slug),
    deps.auth.members.list(slug),
    deps.auth.users.list(),
  ]);
  return c.html(
    <SettingsPage
      chrome={chrome}
      members={members}
      admins={users.filter((u) => u.isAdmin && !u.disabled).map((u) => u.username)}
      tokens={tokens.filter((t) => t.userId === null)}
      created={created}
      connection={connection(
        slug,
        { wikiUrl: deps.placement.wikiUrl(slug), gitUrl: deps.placement.gitUrl(slug) },
        created,
      )}
      problem={problem}
    />,
    status,
  );
}
