import type { Command } from 'commander';
import { AdoptedContainerSchema } from '../../gen/mcp/v1/mcp_pb.js';
import type { Cli } from '../context.js';
import { table } from '../output.js';

/** `mcp adopt <service> [--node N]` */
export async function adoptCommand(cli: Cli, service: string, options: { node?: string }): Promise<void> {
  const node = await cli.singleNode(options.node, `adopt ${service}`);
  const response = await (await cli.agent(node)).adoptContainers({ service });
  if (cli.json) {
    cli.printJson({
      node: node.name,
      adopted: response.adopted.map((a) => cli.messageJson(AdoptedContainerSchema, a)),
    });
    return;
  }
  cli.print(
    table(
      ['container', 'component', 'image', 'state'],
      response.adopted.map((a) => [a.container, a.component, a.image, a.observedState]),
    ),
  );
  const stopped = response.adopted.filter((a) => a.observedState !== 'running');
  if (stopped.length > 0 && stopped.length < response.adopted.length)
    cli.warn(
      `note: ${stopped.map((a) => a.container).join(', ')} is recorded stopped, but a definition has one ` +
        'active flag per service: deploying the exported definition starts every component',
    );
  cli.print(
    `\nwrite its definition with: mcp service export ${service} --node ${node.name} -o <services dir>/${service}.toml`,
  );
}

export function registerAdopt(program: Command, cli: Cli): void {
  program
    .command('adopt')
    .argument('<service>')
    .description('take over existing containers named <service> or <service>-*')
    .option('--node <name>', 'the node the containers run on (needed when several are configured)')
    .action((service: string, options: { node?: string }) => adoptCommand(cli, service, options));
}
