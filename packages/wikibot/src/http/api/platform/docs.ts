import type { z } from '@hono/zod-openapi';
import { ERRORS, type RouteDoc } from '../openapi.js';
import { LimitsBody, LimitsResultSchema, UsageListSchema, UsageSchema } from '../usageSchemas.js';
import {
  AcceptedSchema,
  AcceptInviteBody,
  AccountListSchema,
  AccountResultSchema,
  CreateAccountBody,
  CreatedInviteSchema,
  CreatedTokenSchema,
  CreateTokenBody,
  CreateWikiBody,
  DeletedWikiSchema,
  DoneSchema,
  InviteBody,
  InviteListSchema,
  MemberBody,
  MemberListSchema,
  MemberSchema,
  TokenListSchema,
  UpdateAccountBody,
  UpdateWikiBody,
  WikiListQuery,
  WikiListSchema,
  WikiSchema,
} from './schemas.js';

const ok = (schema: z.ZodType, status = 200) => ({ status, schema });

/**
 * Every management route. Scopes: reads need `wiki:read`, changes `wiki:admin`; platform-level
 * calls need a credential good for every wiki; the account's role (owner of the wiki, platform
 * admin) bounds them as on the wikis.
 */
export const PLATFORM_ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/wikis',
    summary: 'Create a wiki (its maker becomes owner)',
    scope: 'wiki:admin',
    body: CreateWikiBody,
    ok: ok(WikiSchema, 201),
  },
  {
    method: 'get',
    path: '/wikis',
    summary: 'My wikis with role and last change (?deleted=true: my deleted, restorable wikis)',
    scope: 'wiki:read',
    query: WikiListQuery,
    ok: ok(WikiListSchema),
  },
  {
    method: 'get',
    path: '/wikis/{slug}',
    summary: 'A wiki I have a role on',
    scope: 'wiki:read',
    ok: ok(WikiSchema),
  },
  {
    method: 'patch',
    path: '/wikis/{slug}',
    summary: 'Change title, public flag or slug (owners)',
    scope: 'wiki:admin',
    body: UpdateWikiBody,
    ok: ok(WikiSchema),
  },
  {
    method: 'delete',
    path: '/wikis/{slug}',
    summary: 'Delete a wiki, restorable for the retention period (owners)',
    scope: 'wiki:admin',
    ok: ok(DeletedWikiSchema),
  },
  {
    method: 'post',
    path: '/wikis/{slug}/restore',
    summary: 'Restore a deleted wiki (owners)',
    scope: 'wiki:admin',
    ok: ok(WikiSchema),
  },
  {
    method: 'get',
    path: '/wikis/{slug}/members',
    summary: 'Members and roles (owners)',
    scope: 'wiki:read',
    ok: ok(MemberListSchema),
  },
  {
    method: 'put',
    path: '/wikis/{slug}/members/{user}',
    summary: 'Give an account (username, e-mail or id) a role (owners; a wiki keeps one owner)',
    scope: 'wiki:admin',
    body: MemberBody,
    ok: ok(MemberSchema),
  },
  {
    method: 'delete',
    path: '/wikis/{slug}/members/{user}',
    summary: 'Take an account’s role away (owners; a wiki keeps one owner)',
    scope: 'wiki:admin',
    ok: ok(DoneSchema),
  },
  {
    method: 'post',
    path: '/wikis/{slug}/invites',
    summary: 'Make a single-use invitation link with a role and expiry (owners)',
    scope: 'wiki:admin',
    body: InviteBody,
    ok: ok(CreatedInviteSchema, 201),
  },
  {
    method: 'get',
    path: '/wikis/{slug}/invites',
    summary: 'A wiki’s invitations and their state (owners)',
    scope: 'wiki:read',
    ok: ok(InviteListSchema),
  },
  {
    method: 'delete',
    path: '/wikis/{slug}/invites/{id}',
    summary: 'Revoke a pending invitation (owners)',
    scope: 'wiki:admin',
    ok: ok(DoneSchema),
  },
  {
    method: 'post',
    path: '/invites/{token}/accept',
    summary:
      'Accept an invitation: the credential’s account joins, or (no credential) a new account is made as the sign-up policy allows (201)',
    scope: 'wiki:admin',
    body: AcceptInviteBody,
    ok: ok(AcceptedSchema),
  },
  {
    method: 'get',
    path: '/accounts',
    summary: 'Every account (platform admins)',
    scope: 'wiki:read',
    ok: ok(AccountListSchema),
  },
  {
    method: 'post',
    path: '/accounts',
    summary: 'Create an account; without a password a one-time password is returned (platform admins)',
    scope: 'wiki:admin',
    body: CreateAccountBody,
    ok: ok(AccountResultSchema, 201),
  },
  {
    method: 'patch',
    path: '/accounts/{id}',
    summary: 'Disable or enable an account, or reset its password to a one-time password (platform admins)',
    scope: 'wiki:admin',
    body: UpdateAccountBody,
    ok: ok(AccountResultSchema),
  },
  { method: 'get', path: '/tokens', summary: 'My API tokens', scope: 'wiki:read', ok: ok(TokenListSchema) },
  {
    method: 'post',
    path: '/tokens',
    summary: 'Create an API token for my account (the secret is shown once)',
    scope: 'wiki:admin',
    body: CreateTokenBody,
    ok: ok(CreatedTokenSchema, 201),
  },
  {
    method: 'delete',
    path: '/tokens/{id}',
    summary: 'Revoke one of my API tokens',
    scope: 'wiki:admin',
    ok: ok(DoneSchema),
  },
  {
    method: 'get',
    path: '/usage',
    summary: 'Usage and limits of every wiki (platform admins)',
    scope: 'wiki:admin',
    ok: ok(UsageListSchema),
  },
  {
    method: 'get',
    path: '/wikis/{slug}/usage',
    summary:
      "A wiki's pages, repository bytes, attachment bytes and count, each with its limit (owners, platform admins)",
    scope: 'wiki:admin',
    ok: ok(UsageSchema),
  },
  {
    method: 'put',
    path: '/wikis/{slug}/limits',
    summary:
      "Override a wiki's limits (platform admins): a number (0: unlimited), null for the configured default",
    scope: 'wiki:admin',
    body: LimitsBody,
    ok: ok(LimitsResultSchema),
  },
];
export const PLATFORM_ERRORS: Record<number, string> = {
  ...ERRORS,
  403: 'The credential lacks the scope, the wiki or the role (owner, platform admin), or the sign-up policy refuses',
  409: 'Conflict (slug taken, invitation already used, expired or revoked)',
};
