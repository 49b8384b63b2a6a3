import { Forbidden, Invalid } from '../../wiki/errors.js';
import type { PlatformDeps } from './context.js';

/** How a person comes to have an account without an admin making it. */
export type SignUpRoute = 'self' | 'invite' | 'upstream';

const ALLOWED: Record<PlatformDeps['policy']['signup'], ReadonlySet<SignUpRoute>> = {
  closed: new Set(),
  'invite-only': new Set(['invite']),
  open: new Set(['self', 'invite', 'upstream']),
  sso: new Set(['upstream']),
};

const REFUSAL: Record<PlatformDeps['policy']['signup'], string> = {
  closed: 'Sign-up is closed: a platform admin makes accounts',
  'invite-only': 'Sign-up is by invitation only',
  open: '',
  sso: 'Accounts are made by signing in with the configured provider',
};

/**
 * The sign-up policy: may a new account come about this way, with this e-mail address? Throws
 * Forbidden naming the policy, or Invalid naming the allowed domains.
 */
export function checkSignUp(
  policy: PlatformDeps['policy'],
  route: SignUpRoute,
  email: string | null | undefined,
): void {
  if (!ALLOWED[policy.signup].has(route)) throw new Forbidden(REFUSAL[policy.signup]);
  const domains = policy.signup_email_domains;
  if (domains.length === 0) return;
  const domain = email?.trim().toLowerCase().split('@')[1];
  if (!domain || !domains.includes(domain)) {
    throw new Invalid(`New accounts need an e-mail address at ${domains.join(', ')}`);
  }
}
