import type { Member } from '../../../platform/members.js';
import type { Invite } from '../../../platform/service/index.js';
import type { ApiToken } from '../../../platform/tokens.js';
import type { User } from '../../../platform/users.js';
import type { WikiRecord } from '../../../platform/wikis.js';

/** The management API's JSON: snake_case, like the wiki API. */

export function wikiJson(
  baseUrl: string,
  w: WikiRecord & { role?: string; lastChange?: string | null; restorableUntil?: string },
) {
  return {
    slug: w.slug,
    title: w.title,
    public: w.isPublic,
    created_at: w.createdAt,
    url: `${baseUrl}/w/${w.slug}/`,
    git_url: `${baseUrl}/w/${w.slug}.git`,
    ...(w.role !== undefined ? { role: w.role } : {}),
    ...(w.lastChange !== undefined ? { last_change: w.lastChange } : {}),
    ...(w.restorableUntil !== undefined ? { restorable_until: w.restorableUntil } : {}),
  };
}

export function memberJson(m: Member) {
  return {
    user_id: m.userId,
    username: m.username,
    display_name: m.displayName,
    email: m.email,
    role: m.role,
    since: m.since,
  };
}

export function inviteJson(i: Invite) {
  return {
    id: i.id,
    wiki: i.wiki,
    role: i.role,
    state: i.state,
    created_at: i.createdAt,
    expires_at: i.expiresAt,
    accepted_at: i.acceptedAt,
    accepted_by: i.acceptedBy,
    revoked_at: i.revokedAt,
  };
}

export function accountJson(u: User) {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    display_name: u.displayName,
    admin: u.isAdmin,
    disabled: u.disabled,
    has_password: u.hasPassword,
    password_change_required: u.passwordChangeRequired,
    created_at: u.createdAt,
  };
}

export function tokenJson(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    wiki: t.wiki,
    scopes: t.scopes,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    last_used_at: t.lastUsedAt,
    revoked_at: t.revokedAt,
  };
}
