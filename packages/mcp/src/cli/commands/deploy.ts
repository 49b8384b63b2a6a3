import type { Command } from 'commander';
import { serviceToProto } from '../../servicedef/convert.js';
import { loadService, writeServiceDef } from '../../servicedef/load.js';
import type { ServiceDef } from '../../servicedef/types.js';
import type { Cli } from '../context.js';
import { printResults } from '../present.js';

async function definition(cli: Cli, name: string): Promise<ServiceDef> {
  return loadService((await cli.config()).servicesDir, name);
}

/** `mcp deploy <service>[/<component>]` */
export async function deployCommand(cli: Cli, target: string): Promise<void> {
  const [name = '', component = ''] = target.split('/', 2);
  const def = await definition(cli, name);
  const agent = await cli.agent(await cli.node(def.node));
  const response = await agent.deploy({ service: serviceToProto(def), component });
  printResults(cli, `deploy ${target}`, response.results);
}

/** `mcp stop|start <service>`: the agent records the desired state, then the file's `active` flips. */
export async function setActiveCommand(cli: Cli, name: string, active: boolean): Promise<void> {
  const def = await definition(cli, name);
  const agent = await cli.agent(await cli.node(def.node));
  const response = active ? await agent.startService({ name }) : await agent.stopService({ name });
  if (def.active !== active) await writeServiceDef((await cli.config()).servicesDir, { ...def, active });
  printResults(cli, `${active ? 'start' : 'stop'} ${name}`, response.results);
}

/** `mcp restart <service>`: desired state and the file stay as they are. */
export async function restartCommand(cli: Cli, name: string): Promise<void> {
  const def = await definition(cli, name);
  const agent = await cli.agent(await cli.node(def.node));
  const response = await agent.restartService({ name });
  printResults(cli, `restart ${name}`, response.results);
}

export function registerDeploy(program: Command, cli: Cli): void {
  program
    .command('deploy')
    .argument('<service[/component]>', 'service (or one component) to deploy from its definition')
    .description('record the definition on its node, then pull, stop, remove and run each component')
    .action((target: string) => deployCommand(cli, target));
  program
    .command('stop')
    .argument('<service>')
    .description('stop every component and set active = false in the service file')
    .action((name: string) => setActiveCommand(cli, name, false));
  program
    .command('start')
    .argument('<service>')
    .description('start (or recreate) every component and set active = true in the service file')
    .action((name: string) => setActiveCommand(cli, name, true));
  program
    .command('restart')
    .argument('<service>')
    .description('restart every running component; desired state is unchanged')
    .action((name: string) => restartCommand(cli, name));
}
