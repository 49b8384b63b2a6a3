import type { Scope } from '../platform/tokens.js';
import type { Actor } from '../wiki/types.js';

/** Who is calling, and what their credential allows. Resolved once per request. */
export interface Principal {
  /** Stable subject id for logs: "token:<id>", "admin-token", "user:<id>", "anonymous". */
  subject: string;
  /** Commit author for changes this caller makes. */
  actor: Actor;
  scopes: ReadonlySet<Scope>;
  /** The wikis the credential is good for: one slug, or every wiki. */
  wikis: '*' | ReadonlySet<string>;
  /** OAuth client or token name, for the auth log. */
  client?: string;
}

export const ANONYMOUS: Principal = {
  subject: 'anonymous',
  actor: { name: 'anonymous', email: 'anonymous@localhost' },
  scopes: new Set(),
  wikis: new Set(),
};

/** The scope each kind of use needs. */
export type Access = 'read' | 'write' | 'admin';
export const SCOPE_FOR: Record<Access, Scope> = {
  read: 'wiki:read',
  write: 'wiki:write',
  admin: 'wiki:admin',
};

/** Why `principal` may not use `wiki` this way, or null when it may. */
export function denial(principal: Principal, wiki: string, access: Access): string | null {
  if (principal.wikis !== '*' && !principal.wikis.has(wiki))
    return `credential is not valid for wiki '${wiki}'`;
  const scope = SCOPE_FOR[access];
  if (!principal.scopes.has(scope)) return `missing scope ${scope}`;
  return null;
}
