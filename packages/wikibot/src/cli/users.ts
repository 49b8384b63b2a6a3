import type { Command } from 'commander';
import { parseRole } from '../platform/members.js';
import { OPERATOR } from '../platform/service/caller.js';
import type { Services } from '../services.js';
import { Invalid } from '../wiki/errors.js';

type WithServices = (task: (s: Services) => Promise<void>) => Promise<void>;

/** `wikibot user create|list|passwd|disable|enable|role`. */
export function registerUserCommands(program: Command, withServices: WithServices): void {
  const user = program.command('user').description('manage accounts and their roles on wikis');

  user
    .command('create <username>')
    .description(
      'create an account; without --password-stdin a one-time password is printed, alone on the last line',
    )
    .option('--email <address>', 'e-mail address (may also be used to sign in)')
    .option('--name <display name>', 'name shown on pages and commits')
    .option('--admin', 'platform admin: owner of every wiki')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(
      (username: string, opts: { email?: string; name?: string; admin?: boolean; passwordStdin?: boolean }) =>
        withServices(async (s) => {
          const chosen = opts.passwordStdin ? await readPassword() : undefined;
          const { user: created, oneTimePassword } = await s.platform.accounts.create(OPERATOR, {
            username,
            ...(opts.email ? { email: opts.email } : {}),
            ...(opts.name ? { displayName: opts.name } : {}),
            ...(chosen !== undefined ? { password: chosen } : {}),
            isAdmin: !!opts.admin,
          });
          console.error(`created user ${created.username}${created.isAdmin ? ' (admin)' : ''}`);
          if (oneTimePassword !== null) {
            console.error('one-time password (to be changed at first sign-in), shown once:');
            console.log(oneTimePassword);
          }
        }),
    );

  user
    .command('list')
    .description('list accounts: username, email, name, admin, state, roles per wiki')
    .action(() =>
      withServices(async (s) => {
        for (const u of await s.platform.accounts.list(OPERATOR)) {
          const roles = (await s.platform.accounts.memberships(OPERATOR, u.id))
            .map((m) => `${m.wiki}:${m.role}`)
            .join(',');
          const state = u.disabled ? 'disabled' : 'active';
          console.log(
            [u.username, u.email ?? '-', u.displayName, u.isAdmin ? 'admin' : '-', state, roles || '-'].join(
              '\t',
            ),
          );
        }
      }),
    );

  user
    .command('passwd <username>')
    .description(
      'set a new password; without --password-stdin a one-time password is printed, alone on the last line',
    )
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action((username: string, opts: { passwordStdin?: boolean }) =>
      withServices(async (s) => {
        const target = await s.platform.accounts.get(OPERATOR, username);
        const chosen = opts.passwordStdin ? await readPassword() : undefined;
        const { oneTimePassword } =
          chosen === undefined
            ? await s.platform.accounts.update(OPERATOR, target.id, { resetPassword: true })
            : await s.platform.accounts.update(OPERATOR, target.id, { password: chosen });
        console.error(`password of ${target.username} changed; their browser sessions were ended`);
        if (oneTimePassword !== null) console.log(oneTimePassword);
      }),
    );

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(`${name} <username>`)
      .description(
        disabled ? 'stop an account from signing in or using its tokens' : 'let a disabled account back in',
      )
      .action((username: string) =>
        withServices(async (s) => {
          const { user: target } = await s.platform.accounts.update(OPERATOR, username, { disabled });
          console.log(`${disabled ? 'disabled' : 'enabled'} user ${target.username}`);
        }),
      );
  }

  user
    .command('role <username>')
    .description('give an account a role on a wiki (viewer, editor, owner), or take it away (none)')
    .requiredOption('--wiki <slug>', 'the wiki')
    .requiredOption('--role <role>', 'viewer, editor, owner or none')
    .action((username: string, opts: { wiki: string; role: string }) =>
      withServices(async (s) => {
        if (opts.role.trim().toLowerCase() === 'none') {
          await s.platform.members.remove(OPERATOR, opts.wiki, username);
          console.log(`${username.trim().toLowerCase()} has no role on ${opts.wiki} any more`);
          return;
        }
        const member = await s.platform.members.set(OPERATOR, opts.wiki, username, parseRole(opts.role));
        console.log(`${member.username} is ${member.role} of ${opts.wiki}`);
      }),
    );
}

/** The password piped on standard input (its first line). */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Invalid('--password-stdin expects the password on standard input (a pipe)');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const password = text.split(/\r?\n/)[0] ?? '';
  if (!password) throw new Invalid('No password on standard input');
  return password;
}
