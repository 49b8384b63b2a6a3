import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Command } from 'commander';
import {
  ContainerStatusSchema,
  DriftSchema,
  EventSchema,
  FlapSchema,
  type ServiceInfo,
  ServiceInfoSchema,
} from '../../gen/mcp/v1/mcp_pb.js';
import { loadService } from '../../servicedef/load.js';
import type { Cli } from '../context.js';
import { dash, shortDuration, shortTime, table } from '../output.js';

interface NodeOption {
  node?: string;
}

function serviceRows(node: string, services: ServiceInfo[]): string[][] {
  return services.flatMap((service) =>
    service.components.map((c) => [
      node,
      service.name,
      c.spec?.name ?? '',
      c.desiredState,
      c.observedState,
      dash(c.version),
      c.spec?.image ?? '',
    ]),
  );
}

/** `mcp list`: the registries of the nodes, no runtime calls. */
export async function listCommand(cli: Cli, options: NodeOption): Promise<void> {
  const answers = await cli.eachNode(await cli.nodes(options.node), async (node) =>
    (await cli.agent(node)).listServices({}),
  );
  if (cli.json) {
    cli.printJson(
      answers.map(({ node, result }) => ({
        node: node.name,
        services: result.services.map((s) => cli.messageJson(ServiceInfoSchema, s)),
      })),
    );
    return;
  }
  const rows = answers.flatMap(({ node, result }) => serviceRows(node.name, result.services));
  cli.print(
    rows.length === 0
      ? 'no services'
      : table(['node', 'service', 'component', 'desired', 'observed', 'version', 'image'], rows),
  );
}

/** `mcp ps`: every container, asked live from each node's runtime. */
export async function psCommand(cli: Cli, options: NodeOption): Promise<void> {
  const answers = await cli.eachNode(await cli.nodes(options.node), async (node) =>
    (await cli.agent(node)).liveCheck({}),
  );
  if (cli.json) {
    cli.printJson(
      answers.map(({ node, result }) => ({
        node: node.name,
        containers: result.containers.map((c) => cli.messageJson(ContainerStatusSchema, c)),
      })),
    );
    return;
  }
  const rows = answers.flatMap(({ node, result }) => {
    const now = result.checkedAt ? timestampDate(result.checkedAt).getTime() : Date.now();
    return result.containers.map((c) => [
      node.name,
      c.name,
      c.state,
      c.startedAt ? shortDuration(now - timestampDate(c.startedAt).getTime()) : '-',
      dash(c.version),
      c.image,
      c.desiredState === '' ? 'unmanaged' : c.desiredState,
    ]);
  });
  cli.print(
    rows.length === 0
      ? 'no containers'
      : table(['node', 'name', 'state', 'uptime', 'version', 'image', 'desired'], rows),
  );
}

/** `mcp status [service]`: desired against live state, drift, and recent events. */
export async function statusCommand(
  cli: Cli,
  service: string | undefined,
  options: NodeOption,
): Promise<void> {
  let nodeName = options.node;
  if (service !== undefined && nodeName === undefined) {
    nodeName = await loadService((await cli.config()).servicesDir, service).then(
      (def) => def.node,
      () => undefined,
    );
  }
  const answers = await cli.eachNode(await cli.nodes(nodeName), async (node) =>
    (await cli.agent(node)).getServiceStatus({ name: service ?? '' }),
  );
  if (cli.json) {
    cli.printJson(
      answers.map(({ node, result }) => ({
        node: node.name,
        services: result.services.map((s) => cli.messageJson(ServiceInfoSchema, s)),
        drift: result.drift.map((d) => cli.messageJson(DriftSchema, d)),
        flapping: result.flapping.map((f) => cli.messageJson(FlapSchema, f)),
        events: result.events.map((e) => cli.messageJson(EventSchema, e)),
      })),
    );
    return;
  }
  for (const { node, result } of answers) {
    const drifted = new Set(result.drift.map((d) => `${d.service}/${d.component}`));
    const flapping = new Set(result.flapping.map((f) => `${f.service}/${f.component}`));
    const health = (key: string): string =>
      [drifted.has(key) ? 'DRIFT' : '', flapping.has(key) ? 'FLAPPING' : ''].filter(Boolean).join(' ') ||
      'ok';
    const rows = result.services.flatMap((s) =>
      s.components.map((c) => [
        s.name,
        c.spec?.name ?? '',
        c.desiredState,
        c.observedState,
        dash(c.version),
        health(`${s.name}/${c.spec?.name ?? ''}`),
      ]),
    );
    cli.print(`node ${node.name}`);
    cli.print(
      rows.length === 0
        ? '  no services'
        : table(['service', 'component', 'desired', 'observed', 'version', 'status'], rows),
    );
    if (result.drift.length > 0) {
      cli.print(`\ndrift (${result.drift.length}):`);
      for (const d of result.drift)
        cli.print(`  ${d.service}/${d.component}: desired ${d.desiredState}, observed ${d.observedState}`);
    }
    if (result.flapping.length > 0) {
      cli.print(`\nflapping (${result.flapping.length}):`);
      for (const f of result.flapping)
        cli.print(
          `  ${f.service}/${f.component}: ${f.restarts} restarts by podman and ${f.transitions} state changes in the last ${shortDuration(f.windowSeconds * 1000)}`,
        );
    }
    if (result.events.length > 0) {
      cli.print('\nrecent events:');
      cli.print(
        table(
          ['time', 'service', 'component', 'from', 'to', 'cause', 'detail'],
          result.events.map((e) => [
            shortTime(e.time ? timestampDate(e.time) : undefined),
            e.service,
            e.component,
            e.fromState,
            e.toState,
            e.cause,
            e.detail,
          ]),
        ),
      );
    }
  }
}

export function registerStatus(program: Command, cli: Cli): void {
  program
    .command('list')
    .description("services and components from each node's registry")
    .option('--node <name>', 'only this node')
    .action((options: NodeOption) => listCommand(cli, options));
  program
    .command('ps')
    .description('every container on each node, live: state, uptime, version')
    .option('--node <name>', 'only this node')
    .action((options: NodeOption) => psCommand(cli, options));
  program
    .command('status')
    .argument('[service]')
    .description('desired against observed state, drift and recent events')
    .option('--node <name>', 'only this node')
    .action((service: string | undefined, options: NodeOption) => statusCommand(cli, service, options));
}
