import type { User } from '../platform/users.js';
import type { Services } from '../services.js';
import { Conflict } from '../wiki/errors.js';
import { generatePassword } from './passwords.js';

/**
 * On a fresh installation (no accounts yet) create the platform admin `admin` with a random
 * one-time password, printed here once and never logged or stored in clear; it must be changed at
 * the first sign-in. Does nothing when any account exists.
 */
export async function ensureFirstRunAdmin(
  services: Services,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  if ((await services.auth.users.count()) > 0) return;
  const password = generatePassword();
  let admin: User;
  try {
    admin = await services.auth.users.create({
      username: 'admin',
      displayName: 'Administrator',
      password,
      isAdmin: true,
      passwordChangeRequired: true,
    });
  } catch (error) {
    if (error instanceof Conflict) return; // another replica got there first
    throw error;
  }
  services.logger.info({ event: 'first_run', user: admin.username }, 'created the admin account');
  print(
    [
      '',
      '  wikibot created the account "admin" (owner of every wiki).',
      `  One-time password: ${password}`,
      '  It is shown only this once; you will choose a new one when you first sign in.',
      '',
      '',
    ].join('\n'),
  );
}
