import type { MemberStore, Role } from '../platform/members.js';
import { SCOPES, type Scope } from '../platform/tokens.js';
import type { User } from '../platform/users.js';
import { Invalid } from '../wiki/errors.js';
import { ROLE_ALLOWS, SCOPE_FOR } from './principal.js';

/**
 * Refuse a token for `user` whose scopes exceed what the account's role allows on `wiki` (null:
 * every wiki, where the highest role it holds anywhere counts). Platform admins may give any scope.
 * The role still bounds the token when it is used; this keeps its listed scopes honest.
 */
export async function checkTokenScopes(
  members: MemberStore,
  user: User,
  wiki: string | null,
  scopes: readonly Scope[],
): Promise<void> {
  if (user.isAdmin) return;
  const roles: Role[] = wiki
    ? [await members.roleOf(wiki, user.id)].filter((r): r is Role => r !== null)
    : (await members.wikisOf(user.id)).map((m) => m.role);
  const allowed = SCOPES.filter((scope) =>
    roles.some((role) => [...ROLE_ALLOWS[role]].some((access) => SCOPE_FOR[access] === scope)),
  );
  const beyond = scopes.filter((scope) => !allowed.includes(scope));
  if (beyond.length === 0) return;
  const where = wiki ? `on wiki '${wiki}'` : 'on any wiki';
  const held = roles.length
    ? `your role ${where} (${[...new Set(roles)].join(', ')})`
    : `you have no role ${where}, which`;
  throw new Invalid(
    `A token cannot have ${beyond.join(', ')}: ${held} does not allow it. ${
      allowed.length ? `Allowed: ${allowed.join(', ')}.` : 'No scope is allowed.'
    }`,
  );
}
