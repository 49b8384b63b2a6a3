import type { User } from '../platform/users.js';
import type { Services } from '../services.js';
import { Conflict } from '../wiki/errors.js';
import { generatePassword } from './passwords.js';

/**
 * On a fresh installation (no accounts yet) create the platform admin `admin`. Its password is the
 * configured `admin_password` (WIKIBOT_ADMIN_PASSWORD, for deployments nobody watches start), else a
 * random one-time password printed here once (to the terminal, never to the log, never stored in
 * clear) that must be changed at the first sign-in before anything else works. Does nothing when any
 * account exists.
 */
export async function ensureFirstRunAdmin(
  services: Services,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  if ((await services.auth.users.count()) > 0) return;
  const configured = services.config.admin_password;
  const password = configured ?? generatePassword();
  let admin: User;
  try {
    admin = await services.auth.users.create({
      username: 'admin',
      displayName: 'Administrator',
      password,
      isAdmin: true,
      passwordChangeRequired: configured === undefined,
    });
  } catch (error) {
    if (error instanceof Conflict) return; // another replica got there first
    throw error;
  }
  services.logger.info(
    { event: 'first_run', user: admin.username, password: configured ? 'configured' : 'one-time' },
    'created the admin account',
  );
  const lines = configured
    ? ['  wikibot created the account "admin" (owner of every wiki) with the configured admin_password.']
    : [
        '  wikibot created the account "admin" (owner of every wiki).',
        `  One-time password: ${password}`,
        '  It is shown only this once; choose a new one when you first sign in.',
        '  (Unattended deployments can set WIKIBOT_ADMIN_PASSWORD instead.)',
      ];
  print(['', ...lines, '', ''].join('\n'));
}
