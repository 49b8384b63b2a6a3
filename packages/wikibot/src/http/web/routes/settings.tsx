import type { Hono } from 'hono';
import { parseRole } from '../../../platform/members.js';
import { Invalid, NotFound } from '../../../wiki/errors.js';
import { webCaller } from '../caller.js';
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
      const { token } = await deps.platform.tokens.createForWiki(webCaller(c), { wiki: slug, ...request });
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
    await deps.platform.wikis.update(webCaller(c), slug, { isPublic });
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
      const role = parseRole(field(form, 'role'));
      const member = await deps.platform.members.set(webCaller(c), slug, field(form, 'login'), role);
      return redirectWith(
        c,
        wikiPageUrl(slug, 'settings'),
        `${member.username} is now ${role} of this wiki.`,
      );
    } catch (error) {
      if (error instanceof Invalid || error instanceof NotFound) {
        return settingsPage(c, deps, null, error.message, 422);
      }
      throw error;
    }
  });

  app.post('/w/:slug/-/settings/members/remove', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const userId = field(await formBody(c), 'user');
    try {
      await deps.platform.members.remove(webCaller(c), slug, userId);
    } catch (error) {
      if (error instanceof Invalid) return settingsPage(c, deps, null, error.message, 422);
      throw error;
    }
    return redirectWith(c, wikiPageUrl(slug, 'settings'), 'Member removed.');
  });

  app.post('/w/:slug/-/settings/invites', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const form = await formBody(c);
    try {
      const days = field(form, 'expires_days').trim();
      const { path } = await deps.platform.invites.create(webCaller(c), slug, {
        role: parseRole(field(form, 'role')),
        ...(days ? { expiresInDays: Number(days) } : {}),
      });
      return settingsPage(c, deps, null, null, 200, `${deps.baseUrl()}${path}`);
    } catch (error) {
      if (error instanceof Invalid) return settingsPage(c, deps, null, error.message, 422);
      throw error;
    }
  });

  app.post('/w/:slug/-/settings/invites/revoke', admin, async (c) => {
    const slug = c.get('access').record.slug;
    await deps.platform.invites.revoke(webCaller(c), slug, field(await formBody(c), 'id'));
    return redirectWith(c, wikiPageUrl(slug, 'settings'), 'Invitation revoked.');
  });

  app.post('/w/:slug/-/settings/tokens/revoke', admin, async (c) => {
    const slug = c.get('access').record.slug;
    const id = field(await formBody(c), 'id');
    const token = await deps.platform.tokens.revoke(webCaller(c), id, slug);
    return redirectWith(c, wikiPageUrl(slug, 'settings'), `Revoked the token “${token.name}”.`);
  });
}

async function settingsPage(
  c: WebContext,
  deps: WebDeps,
  created: string | null,
  problem: string | null,
  status: 200 | 422 = 200,
  inviteLink: string | null = null,
) {
  const slug = c.get('access').record.slug;
  const caller = webCaller(c);
  const [chrome, tokens, members, users, invites] = await Promise.all([
    wikiChrome(c, deps),
    deps.tokens.list(slug),
    deps.platform.members.list(caller, slug),
    deps.auth.users.list(),
    deps.platform.invites.list(caller, slug),
  ]);
  return c.html(
    <SettingsPage
      chrome={chrome}
      members={members}
      invites={invites.filter((i) => i.state === 'pending')}
      inviteLink={inviteLink}
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
