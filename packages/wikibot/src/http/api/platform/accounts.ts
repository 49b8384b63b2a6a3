import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../../context.js';
import { jsonBody } from '../request.js';
import { requestCaller } from './caller.js';
import { accountJson } from './present.js';
import { CreateAccountBody, UpdateAccountBody } from './schemas.js';

/** /accounts (platform admins): list, create, disable or enable, reset a password. */
export function accountRoutes(api: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const accounts = deps.platform.accounts;

  api.get('/accounts', async (c) => {
    const list = await accounts.list(requestCaller(c));
    return c.json({ accounts: list.map(accountJson) });
  });

  api.post('/accounts', async (c) => {
    const body = await jsonBody(c, CreateAccountBody);
    const { user, oneTimePassword } = await accounts.create(requestCaller(c), {
      username: body.username,
      ...(body.email !== undefined ? { email: body.email } : {}),
      ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
      ...(body.password !== undefined ? { password: body.password } : {}),
      isAdmin: body.admin === true,
    });
    return c.json(
      { account: accountJson(user), ...(oneTimePassword ? { one_time_password: oneTimePassword } : {}) },
      201,
    );
  });

  api.patch('/accounts/:id', async (c) => {
    const body = await jsonBody(c, UpdateAccountBody);
    const { user, oneTimePassword } = await accounts.update(requestCaller(c), c.req.param('id'), {
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.reset_password ? { resetPassword: true } : {}),
    });
    return c.json({
      account: accountJson(user),
      ...(oneTimePassword ? { one_time_password: oneTimePassword } : {}),
    });
  });
}
