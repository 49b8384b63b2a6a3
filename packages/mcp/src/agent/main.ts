import { Command } from 'commander';
import { packageVersion } from '../common/version.js';
import { loadAgentConfig } from '../config/agent.js';
import { recover } from '../monitor/recover.js';
import { Registry } from '../registry/registry.js';
import { snapshotRegistry } from '../registry/snapshot.js';
import { agentContext, agentLogger, startAgent } from './bootstrap.js';

const DEFAULT_CONFIG = '/etc/mcp/mcp-agent.toml';

function configOption(command: Command): Command {
  return command.option(
    '-c, --config <path>',
    'agent config file',
    process.env.MCP_AGENT_CONFIG ?? DEFAULT_CONFIG,
  );
}

async function serve(configPath: string): Promise<void> {
  const config = await loadAgentConfig(configPath);
  const agent = await startAgent(config);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      agent.ctx.logger.info({ signal }, 'shutting down');
      agent.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

async function snapshot(configPath: string): Promise<void> {
  const config = await loadAgentConfig(configPath);
  const registry = Registry.open(config.database.path);
  try {
    process.stdout.write(`${snapshotRegistry(registry, config.database.backupsDir)}\n`);
  } finally {
    registry.close();
  }
}

async function recoverNode(configPath: string): Promise<boolean> {
  const config = await loadAgentConfig(configPath);
  const ctx = agentContext(config, agentLogger(config));
  try {
    const results = await recover(ctx);
    for (const result of results) {
      const outcome = result.ok ? `${result.action}, ${result.observed}` : `FAILED: ${result.error}`;
      process.stdout.write(`${result.container}: ${outcome}\n`);
    }
    if (results.length === 0) process.stdout.write('nothing to recover\n');
    return results.every((result) => result.ok);
  } finally {
    ctx.registry.close();
  }
}

/** `mcp-agent server|snapshot|recover`. Returns the exit code. */
export async function agentMain(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = new Command('mcp-agent')
    .description('mcp node agent: runs containers with podman, keeps the registry, watches for drift')
    .version(packageVersion());
  configOption(program.command('server').description('serve gRPC over TLS and run the monitor')).action(
    async (options: { config: string }) => serve(options.config),
  );
  configOption(
    program
      .command('snapshot')
      .description('write a timestamped copy of the registry (VACUUM INTO) to the backups dir'),
  ).action(async (options: { config: string }) => snapshot(options.config));
  configOption(
    program
      .command('recover')
      .description('recreate or start every container whose desired state is running'),
  ).action(async (options: { config: string }) => {
    if (!(await recoverNode(options.config))) code = 1;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    process.stderr.write(`mcp-agent: ${(error as Error).message}\n`);
    return 1;
  }
  return code;
}
