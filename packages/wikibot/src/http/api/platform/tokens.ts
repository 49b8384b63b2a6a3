import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../../context.js';
import { jsonBody } from '../request.js';
import { requestCaller } from './caller.js';
import { tokenJson } from './present.js';
import { CreateTokenBody } from './schemas.js';

const DAY_MS = 86_400_000;

/** /tokens: the caller's own API tokens. */
export function tokenRoutes(api: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const tokens = deps.platform.tokens;

  api.get('/tokens', async (c) => {
    const list = await tokens.listMine(requestCaller(c));
    return c.json({ tokens: list.map(tokenJson) });
  });

  api.post('/tokens', async (c) => {
    const body = await jsonBody(c, CreateTokenBody);
    const { token, info } = await tokens.createMine(requestCaller(c), {
      name: body.name,
      scopes: body.scopes,
      wiki: body.wiki ?? null,
      ...(body.expires_in_days ? { expiresAt: new Date(Date.now() + body.expires_in_days * DAY_MS) } : {}),
    });
    return c.json({ ...tokenJson(info), token }, 201);
  });

  api.delete('/tokens/:id', async (c) => {
    await tokens.revokeMine(requestCaller(c), c.req.param('id'));
    return c.json({ status: 'revoked' });
  });
}
