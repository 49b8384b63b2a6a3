import { parseScopes, type Scope } from '../../platform/tokens.js';
import { Invalid } from '../../wiki/errors.js';
import { field } from './request.js';

const MAX_DAYS = 3650;

/** The new-token form: name, scopes (checkboxes), expiry in days (empty: never). */
export function tokenRequest(form: Record<string, unknown>): {
  name: string;
  scopes: Scope[];
  expiresAt?: Date;
} {
  const raw = form.scopes;
  const scopes = parseScopes(
    (Array.isArray(raw) ? raw : [raw]).filter((s) => typeof s === 'string').join(' '),
  );
  const days = field(form, 'expires_days').trim();
  if (days === '') return { name: field(form, 'name'), scopes };
  const count = Number(days);
  if (!Number.isInteger(count) || count < 1 || count > MAX_DAYS) {
    throw new Invalid(`Expiry must be a whole number of days from 1 to ${MAX_DAYS}, or empty for never`);
  }
  return { name: field(form, 'name'), scopes, expiresAt: new Date(Date.now() + count * 86_400_000) };
}
