import { ANONYMOUS } from '../../auth/principal.js';
import { type Caller, callerOf } from '../../platform/service/index.js';
import { Forbidden } from '../../wiki/errors.js';
import { principalOf } from './access.js';
import type { WebContext } from './env.js';
import { PLATFORM } from './urls.js';

/** The platform caller of a web request: the signed-in account (or the operator's admin token). */
export function webCaller(c: WebContext): Caller {
  const caller = callerOf(principalOf(c));
  if (!caller) throw new Forbidden('Managing a wiki needs an account: this credential has none');
  return caller;
}

/** The caller, or a redirect to the login page (coming back here) for a visitor not signed in. */
export function signedInCaller(c: WebContext): Caller | Response {
  if (principalOf(c) === ANONYMOUS) return c.redirect(PLATFORM.login(c.req.path), 303);
  return webCaller(c);
}
