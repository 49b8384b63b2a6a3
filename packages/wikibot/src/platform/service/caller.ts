import type { Principal } from '../../auth/principal.js';
import { SCOPES, type Scope } from '../tokens.js';
import type { User } from '../users.js';

/**
 * Who asks the platform for something, and what their credential allows: the account (null for the
 * operator: the CLI or WIKIBOT_ADMIN_TOKEN), whether it is a platform admin, and the credential's
 * scopes and wikis (a token may allow less than its account could do).
 */
export interface Caller {
  userId: string | null;
  /** For messages. */
  name: string;
  /** Platform admins (and the operator) may do everything on every wiki. */
  isAdmin: boolean;
  scopes: ReadonlySet<Scope>;
  wikis: '*' | ReadonlySet<string>;
}

/** The operator: the command line, or a request with WIKIBOT_ADMIN_TOKEN. */
export const OPERATOR: Caller = {
  userId: null,
  name: 'operator',
  isAdmin: true,
  scopes: new Set(SCOPES),
  wikis: '*',
};

/** A signed-in person (browser session): everything their account may do. */
export function callerFor(user: Pick<User, 'id' | 'username' | 'isAdmin'>): Caller {
  return { userId: user.id, name: user.username, isAdmin: user.isAdmin, scopes: new Set(SCOPES), wikis: '*' };
}

/**
 * The caller a door's principal stands for: its account bounded by its credential, or the operator
 * for WIKIBOT_ADMIN_TOKEN. Null for a credential that acts for no account (an API token made
 * without one): platform calls need an account.
 */
export function callerOf(principal: Principal): Caller | null {
  if (principal.subject === 'admin-token') return OPERATOR;
  const user = principal.user;
  if (!user) return null;
  return {
    userId: user.id,
    name: user.username,
    isAdmin: user.isAdmin,
    scopes: principal.scopes,
    wikis: principal.wikis,
  };
}
