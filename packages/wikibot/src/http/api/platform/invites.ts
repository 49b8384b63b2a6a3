import type { OpenAPIHono } from '@hono/zod-openapi';
import { ANONYMOUS } from '../../../auth/principal.js';
import type { Taker } from '../../../platform/service/index.js';
import { Invalid } from '../../../wiki/errors.js';
import type { AppDeps, AppEnv } from '../../context.js';
import { jsonBody } from '../request.js';
import { requestCaller } from './caller.js';
import { accountJson, inviteJson, wikiJson } from './present.js';
import { AcceptInviteBody, InviteBody } from './schemas.js';

/** Invitations: owners make, list and revoke them; anyone holding one accepts it. */
export function inviteRoutes(api: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const invites = deps.platform.invites;

  api.post('/wikis/:slug/invites', async (c) => {
    const body = await jsonBody(c, InviteBody);
    const made = await invites.create(requestCaller(c), c.req.param('slug'), {
      role: body.role,
      ...(body.expires_in_days !== undefined ? { expiresInDays: body.expires_in_days } : {}),
    });
    return c.json({ ...inviteJson(made.invite), url: `${deps.baseUrl()}${made.path}` }, 201);
  });

  api.get('/wikis/:slug/invites', async (c) => {
    const list = await invites.list(requestCaller(c), c.req.param('slug'));
    return c.json({ invites: list.map(inviteJson) });
  });

  api.delete('/wikis/:slug/invites/:id', async (c) => {
    await invites.revoke(requestCaller(c), c.req.param('slug'), c.req.param('id'));
    return c.json({ status: 'revoked' });
  });

  // With a credential: its account joins. Without: the body names the account to make.
  api.post('/invites/:token/accept', async (c) => {
    const body = await jsonBody(c, AcceptInviteBody);
    let taker: Taker;
    if (c.get('principal') !== ANONYMOUS) {
      taker = { caller: requestCaller(c) };
    } else {
      if (!body.username || !body.password) {
        throw new Invalid('Without a credential, username and password name the account to make');
      }
      taker = {
        newAccount: {
          username: body.username,
          password: body.password,
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
        },
      };
    }
    const accepted = await invites.accept(c.req.param('token'), taker);
    return c.json(
      {
        wiki: wikiJson(deps.baseUrl(), accepted.wiki),
        role: accepted.role,
        account: accountJson(accepted.user),
      },
      'newAccount' in taker ? 201 : 200,
    );
  });
}
