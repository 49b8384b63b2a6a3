import { Command, CommanderError } from 'commander';
import { packageVersion } from '../common/version.js';
import { exitQuietlyWhenStdoutCloses } from './closed-stdout.js';
import { registerAdopt } from './commands/adopt.js';
import { registerDeploy } from './commands/deploy.js';
import { registerFiles } from './commands/files.js';
import { registerLogin } from './commands/login.js';
import { registerNode } from './commands/node.js';
import { registerService } from './commands/service.js';
import { registerStatus } from './commands/status.js';
import { registerSync } from './commands/sync.js';
import { Cli, type CliIO, describeError } from './context.js';

function program(cli: Cli): Command {
  const root = new Command('mcp')
    .description('Metacircular Control Plane: deploy, watch and repair podman services on your nodes')
    .version(packageVersion())
    .option('-c, --config <path>', 'CLI config (default: $MCP_CONFIG or ~/.config/mcp/mcp.toml)')
    .option('--json', 'print JSON for scripts')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.stdout.write(text),
      writeErr: (text) => cli.io.stderr.write(text),
    })
    .hook('preAction', (command) => {
      const options = command.optsWithGlobals<{ config?: string; json?: boolean }>();
      cli.configFlag = options.config;
      cli.json = options.json === true;
    });
  registerLogin(root, cli);
  registerDeploy(root, cli);
  registerStatus(root, cli);
  registerSync(root, cli);
  registerAdopt(root, cli);
  registerService(root, cli);
  registerFiles(root, cli);
  registerNode(root, cli);
  return root;
}

function defaultIO(): CliIO {
  exitQuietlyWhenStdoutCloses();
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Runs `mcp` with node-style argv (`[node, script, ...args]`); returns the exit code. */
export async function cliMain(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  const cli = new Cli(io);
  try {
    await program(cli).parseAsync([...argv]);
    return cli.failed ? 1 : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`mcp: ${describeError(error)}\n`);
    return 1;
  } finally {
    cli.close();
  }
}
