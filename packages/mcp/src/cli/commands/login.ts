import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { mciasLogin } from '../../auth/mcias.js';
import { saveToken } from '../../auth/token-file.js';
import { type Cli, CliError } from '../context.js';
import { prompt } from '../prompt.js';

/** `mcp login`: asks for username and password (not echoed), saves the token with mode 0600. */
export async function loginCommand(cli: Cli, options: { username?: string }): Promise<void> {
  const config = await cli.config();
  const { serverUrl, serviceName, tags, caCert } = config.mcias;
  if (!serverUrl)
    throw new CliError(`${config.path}: missing required key [mcias] server_url (or MCP_MCIAS_SERVER_URL)`);
  const username = options.username ?? (await prompt(cli.io, 'Username: ', { echo: true })).trim();
  if (username === '') throw new CliError('a username is required');
  const password = await prompt(cli.io, 'Password: ', { echo: false });
  const ca = caCert ? await readFile(caCert) : undefined;
  const { token, expiresAt } = await mciasLogin(serverUrl, { username, password, serviceName, tags }, { ca });
  await saveToken(config.tokenPath, token);
  cli.print(
    `logged in as ${username}; token saved to ${config.tokenPath}${expiresAt ? ` (expires ${expiresAt})` : ''}`,
  );
}

export function registerLogin(program: Command, cli: Cli): void {
  program
    .command('login')
    .description('log in to the identity service (MCIAS) and save the token')
    .option('-u, --username <name>', 'username (asked when not given)')
    .action((options: { username?: string }) => loginCommand(cli, options));
}
