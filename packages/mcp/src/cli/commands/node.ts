import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Command } from 'commander';
import { addNode, removeNode } from '../../config/node-edit.js';
import { NodeStatusResponseSchema } from '../../gen/mcp/v1/mcp_pb.js';
import { type Cli, describeError } from '../context.js';
import { shortDuration, table } from '../output.js';

const NODE_STATUS_TIMEOUT_MS = 10_000;

/** `mcp node list`: every configured node and what its agent says about itself. */
export async function nodeListCommand(cli: Cli): Promise<void> {
  const config = await cli.config();
  const rows: string[][] = [];
  const json: unknown[] = [];
  for (const node of config.nodes) {
    try {
      const status = await (await cli.agent(node)).nodeStatus({}, { timeoutMs: NODE_STATUS_TIMEOUT_MS });
      const uptime =
        status.startedAt && status.now
          ? shortDuration(timestampDate(status.now).getTime() - timestampDate(status.startedAt).getTime())
          : '-';
      rows.push([
        node.name,
        node.address,
        status.agentVersion,
        `${status.runtime} ${status.runtimeVersion}`,
        uptime,
        `${status.running}/${status.components}`,
        String(status.drifted),
      ]);
      json.push({
        ...node,
        reachable: true,
        ...(cli.messageJson(NodeStatusResponseSchema, status) as object),
      });
    } catch (error) {
      cli.failed = true;
      rows.push([node.name, node.address, `unreachable: ${describeError(error)}`, '', '', '', '']);
      json.push({ ...node, reachable: false, error: describeError(error) });
    }
  }
  if (cli.json) cli.printJson(json);
  else if (rows.length === 0) cli.print('no nodes configured; add one with "mcp node add NAME HOST:PORT"');
  else cli.print(table(['node', 'address', 'agent', 'runtime', 'uptime', 'running', 'drifted'], rows));
}

export function registerNode(program: Command, cli: Cli): void {
  const node = program.command('node').description('the nodes in the CLI config');
  node
    .command('list')
    .description("configured nodes with each agent's version")
    .action(() => nodeListCommand(cli));
  node
    .command('add')
    .argument('<name>')
    .argument('<address>', "host:port of the node's mcp-agent")
    .description('add a [[nodes]] entry to the CLI config')
    .action(async (name: string, address: string) => {
      await addNode(cli.configPath(), { name, address });
      cli.print(`added node ${name} (${address}) to ${cli.configPath()}`);
    });
  node
    .command('remove')
    .argument('<name>')
    .description('remove a node from the CLI config')
    .action(async (name: string) => {
      await removeNode(cli.configPath(), name);
      cli.print(`removed node ${name} from ${cli.configPath()}`);
    });
}
