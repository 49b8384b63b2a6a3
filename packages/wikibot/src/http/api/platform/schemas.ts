import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../platform/members.js';
import { SCOPES } from '../../../platform/tokens.js';

/**
 * The management API's request and response shapes, declared once: they validate requests, type
 * the handlers and generate /api/v1/openapi.json. Bodies are strict: an unknown field is refused.
 */

const Role = z.enum(ROLES, `role must be one of ${ROLES.join(', ')}`);
const Time = z.string().openapi({ description: 'ISO 8601 time' });

export const CreateWikiBody = z
  .object({
    slug: z.string('slug must be a string'),
    title: z.string('title must be a string').optional(),
    template: z.enum(['bootstrap', 'empty'], "template must be 'bootstrap' or 'empty'").optional(),
  })
  .strict()
  .openapi('CreateWiki');

export const UpdateWikiBody = z
  .object({
    title: z.string('title must be a string').optional(),
    public: z.boolean('public must be true or false').optional(),
    slug: z.string('slug must be a string').optional(),
  })
  .strict()
  .openapi('UpdateWiki');

export const WikiListQuery = z.object({
  deleted: z.enum(['true', 'false'], "deleted must be 'true' or 'false'").optional(),
});

export const MemberBody = z.object({ role: Role }).strict().openapi('SetMember');

export const InviteBody = z
  .object({
    role: Role,
    expires_in_days: z.number('expires_in_days must be a number').int().min(1).max(365).optional(),
  })
  .strict()
  .openapi('CreateInvite');

export const AcceptInviteBody = z
  .object({
    username: z.string('username must be a string').optional(),
    password: z.string('password must be a string').optional(),
    email: z.string('email must be a string').optional(),
    display_name: z.string('display_name must be a string').optional(),
  })
  .strict()
  .openapi('AcceptInvite', {
    description:
      'Without a credential: the new account to make (sign-up policy permitting). With one: empty.',
  });

export const CreateAccountBody = z
  .object({
    username: z.string('username must be a string'),
    email: z.string('email must be a string').optional(),
    display_name: z.string('display_name must be a string').optional(),
    password: z.string('password must be a string').optional(),
    admin: z.boolean('admin must be true or false').optional(),
  })
  .strict()
  .openapi('CreateAccount');

export const UpdateAccountBody = z
  .object({
    disabled: z.boolean('disabled must be true or false').optional(),
    reset_password: z.literal(true, 'reset_password must be true').optional(),
  })
  .strict()
  .openapi('UpdateAccount');

export const CreateTokenBody = z
  .object({
    name: z.string('name must be a string'),
    scopes: z
      .array(z.enum(SCOPES, `scopes must be among ${SCOPES.join(', ')}`))
      .min(1, 'scopes must not be empty'),
    wiki: z.string('wiki must be a slug or null').nullable().optional(),
    expires_in_days: z.number('expires_in_days must be a number').int().min(1).max(3650).optional(),
  })
  .strict()
  .openapi('CreateToken');

export const WikiSchema = z
  .object({
    slug: z.string(),
    title: z.string(),
    public: z.boolean(),
    created_at: Time,
    url: z.string(),
    git_url: z.string(),
    role: Role.optional(),
    last_change: Time.nullable().optional(),
    restorable_until: Time.optional(),
  })
  .openapi('Wiki');

export const WikiListSchema = z.object({ wikis: z.array(WikiSchema) }).openapi('WikiList');

export const DeletedWikiSchema = z
  .object({ slug: z.string(), deleted: z.literal(true), restorable_until: Time })
  .openapi('DeletedWiki');

export const MemberSchema = z
  .object({
    user_id: z.string(),
    username: z.string(),
    display_name: z.string(),
    email: z.string().nullable(),
    role: Role,
    since: Time,
  })
  .openapi('Member');

export const MemberListSchema = z.object({ members: z.array(MemberSchema) }).openapi('MemberList');

export const InviteSchema = z
  .object({
    id: z.string(),
    wiki: z.string(),
    role: Role,
    state: z.enum(['pending', 'accepted', 'expired', 'revoked']),
    created_at: Time,
    expires_at: Time,
    accepted_at: Time.nullable(),
    accepted_by: z.string().nullable(),
    revoked_at: Time.nullable(),
  })
  .openapi('Invite');

export const CreatedInviteSchema = InviteSchema.extend({
  url: z.string().openapi({ description: 'The single-use link; shown once' }),
}).openapi('CreatedInvite');

export const InviteListSchema = z.object({ invites: z.array(InviteSchema) }).openapi('InviteList');

export const AccountSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    display_name: z.string(),
    admin: z.boolean(),
    disabled: z.boolean(),
    has_password: z.boolean(),
    password_change_required: z.boolean(),
    created_at: Time,
  })
  .openapi('Account');

export const AccountListSchema = z.object({ accounts: z.array(AccountSchema) }).openapi('AccountList');

export const AccountResultSchema = z
  .object({
    account: AccountSchema,
    one_time_password: z.string().optional().openapi({ description: 'Shown once; changed at first sign-in' }),
  })
  .openapi('AccountResult');

export const AcceptedSchema = z
  .object({ wiki: WikiSchema, role: Role, account: AccountSchema })
  .openapi('AcceptedInvite');

export const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    wiki: z.string().nullable(),
    scopes: z.array(z.enum(SCOPES)),
    created_at: Time,
    expires_at: Time.nullable(),
    last_used_at: Time.nullable(),
    revoked_at: Time.nullable(),
  })
  .openapi('Token');

export const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().openapi({ description: 'The secret; shown once' }),
}).openapi('CreatedToken');

export const TokenListSchema = z.object({ tokens: z.array(TokenSchema) }).openapi('TokenList');

export const DoneSchema = z.object({ status: z.string() }).openapi('Done');
