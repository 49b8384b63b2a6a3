import type { Role } from '../platform/members.js';
import type { Scope } from '../platform/tokens.js';
import type { WikiRecord } from '../platform/wikis.js';
import type { Actor } from '../wiki/types.js';

/** The account a credential acts for. Its role on a wiki bounds what the credential's scopes allow. */
export interface PrincipalUser {
  id: string;
  username: string;
  /** Platform admins are owners of every wiki. */
  isAdmin: boolean;
  roleOn(wiki: string): Promise<Role | null>;
}

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
  /** Absent for credentials that stand alone (WIKIBOT_ADMIN_TOKEN, API tokens made without a user). */
  user?: PrincipalUser;
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

/** What each role may do on its wiki. */
export const ROLE_ALLOWS: Record<Role, ReadonlySet<Access>> = {
  viewer: new Set(['read']),
  editor: new Set(['read', 'write']),
  owner: new Set(['read', 'write', 'admin']),
};

/** What the credential alone allows: why `principal` may not use `wiki` this way, or null when it may. */
/** A platform admin: the deployment's admin token, or an admin account's credential for every wiki with wiki:admin. */
export function isPlatformAdmin(principal: Principal): boolean {
  const admin = principal.subject === 'admin-token' || principal.user?.isAdmin === true;
  return admin && principal.wikis === '*' && principal.scopes.has('wiki:admin');
}

export function denial(principal: Principal, wiki: string, access: Access): string | null {
  if (principal.wikis !== '*' && !principal.wikis.has(wiki))
    return `credential is not valid for wiki '${wiki}'`;
  const scope = SCOPE_FOR[access];
  if (!principal.scopes.has(scope)) return `missing scope ${scope}`;
  return null;
}

/**
 * The one authorization decision of every door: role on the wiki ∩ the credential's scopes.
 * Resolves to null when allowed, else the reason. Anyone may read a public wiki.
 */
export async function authorize(
  principal: Principal,
  wiki: WikiRecord,
  access: Access,
): Promise<string | null> {
  return (await decisions(principal, wiki))[access];
}

/** `authorize` for every kind of use at once, looking the caller's role up once. */
export async function decisions(
  principal: Principal,
  wiki: WikiRecord,
): Promise<Record<Access, string | null>> {
  const user = principal === ANONYMOUS ? undefined : principal.user;
  const role = user && !user.isAdmin ? await user.roleOn(wiki.slug) : null;
  const decide = (access: Access) => decision(principal, wiki, access, role);
  return { read: decide('read'), write: decide('write'), admin: decide('admin') };
}

function decision(principal: Principal, wiki: WikiRecord, access: Access, role: Role | null): string | null {
  if (wiki.isPublic && access === 'read') return null;
  if (principal === ANONYMOUS) return 'authentication required';
  const credential = denial(principal, wiki.slug, access);
  if (credential) return credential;
  const user = principal.user;
  if (!user || user.isAdmin) return null;
  if (role === null) return `user ${user.username} has no role on wiki '${wiki.slug}'`;
  if (!ROLE_ALLOWS[role].has(access)) return `role ${role} on wiki '${wiki.slug}' does not allow ${access}`;
  return null;
}
