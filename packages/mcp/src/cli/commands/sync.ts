import type { Command } from 'commander';
import { SyncChangeSchema } from '../../gen/mcp/v1/mcp_pb.js';
import { serviceToProto } from '../../servicedef/convert.js';
import { loadAll } from '../../servicedef/load.js';
import type { ServiceDef } from '../../servicedef/types.js';
import { type Cli, CliError } from '../context.js';
import { table } from '../output.js';

/**
 * `mcp sync [--node N]`: push every valid definition to its node; print what changed. Files that do
 * not load are reported (and fail the run) without holding back the others.
 */
export async function syncCommand(cli: Cli, options: { node?: string }): Promise<void> {
  const config = await cli.config();
  const { defs, problems } = await loadAll(config.servicesDir);
  const byNode = new Map<string, ServiceDef[]>();
  for (const def of defs) {
    if (config.nodes.some((node) => node.name === def.node))
      byNode.set(def.node, [...(byNode.get(def.node) ?? []), def]);
    else problems.push(`${def.name}: node "${def.node}" is not configured`);
  }
  for (const problem of problems) cli.warn(`skipped: ${problem}`);
  if (problems.length > 0) cli.failed = true;
  const nodes = options.node
    ? [await cli.node(options.node)]
    : config.nodes.filter((node) => byNode.has(node.name));
  if (nodes.length === 0) throw new CliError(`no valid service definitions in ${config.servicesDir}`);
  const answers = await cli.eachNode(nodes, async (node) =>
    (await cli.agent(node)).syncDesiredState({ services: (byNode.get(node.name) ?? []).map(serviceToProto) }),
  );
  for (const { result } of answers) if (result.changes.some((c) => !c.ok)) cli.failed = true;
  if (cli.json) {
    cli.printJson(
      answers.map(({ node, result }) => ({
        node: node.name,
        changes: result.changes.map((c) => cli.messageJson(SyncChangeSchema, c)),
      })),
    );
    return;
  }
  for (const { node, result } of answers) {
    if (result.changes.length === 0) {
      cli.print(`node ${node.name}: in sync`);
      continue;
    }
    cli.print(`node ${node.name}:`);
    cli.print(
      table(
        ['service', 'component', 'change', 'result'],
        result.changes.map((c) => [
          c.service,
          c.component,
          c.change,
          c.ok ? c.detail || 'ok' : `FAILED: ${c.detail}`,
        ]),
      ),
    );
  }
}

export function registerSync(program: Command, cli: Cli): void {
  program
    .command('sync')
    .description('push every service definition to its node and converge; prints what changed')
    .option('--node <name>', 'only this node')
    .action((options: { node?: string }) => syncCommand(cli, options));
}
