import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../../context.js';
import { jsonBody } from '../request.js';
import { requestCaller } from './caller.js';
import { memberJson } from './present.js';
import { MemberBody } from './schemas.js';

/** /wikis/{slug}/members: who has which role (owners); `{user}` is a username, e-mail address or id. */
export function memberRoutes(api: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const members = deps.platform.members;

  api.get('/wikis/:slug/members', async (c) => {
    const list = await members.list(requestCaller(c), c.req.param('slug'));
    return c.json({ members: list.map(memberJson) });
  });

  api.put('/wikis/:slug/members/:user', async (c) => {
    const { role } = await jsonBody(c, MemberBody);
    const member = await members.set(requestCaller(c), c.req.param('slug'), c.req.param('user'), role);
    return c.json(memberJson(member));
  });

  api.delete('/wikis/:slug/members/:user', async (c) => {
    await members.remove(requestCaller(c), c.req.param('slug'), c.req.param('user'));
    return c.json({ status: 'removed' });
  });
}
