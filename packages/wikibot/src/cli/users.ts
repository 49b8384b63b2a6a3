import type { Command } from 'commander';
import { generatePassword } from '../auth/passwords.js';
import { parseRole } from '../platform/members.js';
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
          const password = chosen ?? generatePassword();
          const created = await s.auth.users.create({
            username,
            ...(opts.email ? { email: opts.email } : {}),
            ...(opts.name ? { displayName: opts.name } : {}),
            password,
            isAdmin: !!opts.admin,
            passwordChangeRequired: chosen === undefined,
          });
          console.error(`created user ${created.username}${created.isAdmin ? ' (admin)' : ''}`);
          if (chosen === undefined) {
            console.error('one-time password (to be changed at first sign-in), shown once:');
            console.log(password);
          }
        }),
    );

  user
    .command('list')
    .description('list accounts: username, email, name, admin, state, roles per wiki')
    .action(() =>
      withServices(async (s) => {
        for (const u of await s.auth.users.list()) {
          const roles = (await s.auth.members.wikisOf(u.id)).map((m) => `${m.wiki}:${m.role}`).join(',');
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
        const target = await s.auth.users.require(username);
        const chosen = opts.passwordStdin ? await readPassword() : undefined;
        const password = chosen ?? generatePassword();
        await s.auth.users.setPassword(target.id, password, { changeRequired: chosen === undefined });
        await s.auth.sessions.destroyAllFor(target.id);
        console.error(`password of ${target.username} changed; their browser sessions were ended`);
        if (chosen === undefined) console.log(password);
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
          const target = await s.auth.users.require(username);
          await s.auth.users.setDisabled(target.id, disabled);
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
        const target = await s.auth.users.require(username);
        if (opts.role.trim().toLowerCase() === 'none') {
          await s.auth.members.revoke(opts.wiki, target.id);
          console.log(`${target.username} has no role on ${opts.wiki} any more`);
          return;
        }
        const role = parseRole(opts.role);
        await s.auth.members.grant(opts.wiki, target.id, role);
        console.log(`${target.username} is ${role} of ${opts.wiki}`);
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
