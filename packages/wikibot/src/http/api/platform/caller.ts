import type { Context, MiddlewareHandler } from 'hono';
import { ANONYMOUS } from '../../../auth/principal.js';
import { type Caller, callerOf } from '../../../platform/service/index.js';
import { Forbidden } from '../../../wiki/errors.js';
import { challenge } from '../../auth.js';
import type { AppEnv } from '../../context.js';

/** Platform calls need a credential: 401 with a Bearer challenge without one. */
export const requireCredential: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('principal') !== ANONYMOUS) return next();
  c.header('WWW-Authenticate', challenge({ scheme: 'Bearer', realm: 'wikibot' }));
  return c.json({ error: 'Authentication required' }, 401);
};

/**
 * The platform caller of this request: the account behind the credential, bounded by its scopes
 * and wikis, or the operator for WIKIBOT_ADMIN_TOKEN. A token that acts for no account is refused.
 */
export function requestCaller(c: Context<AppEnv>): Caller {
  const caller = callerOf(c.get('principal'));
  if (!caller) {
    throw new Forbidden('Platform calls need a credential of an account (this API token acts for none)');
  }
  return caller;
}
