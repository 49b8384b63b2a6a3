import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../common/atomic-write.js';
import type { NodeEntry } from '../../config/cli.js';
import { loadService } from '../../servicedef/load.js';
import { type Cli, CliError } from '../context.js';

/**
 * The node of a known service: its definition's (or `--node`'s). A service without a definition must
 * be one the node runs (adopted, say); any other name is refused before a directory is made for it.
 */
async function serviceNode(cli: Cli, service: string, flag: string | undefined): Promise<NodeEntry> {
  const dir = (await cli.config()).servicesDir;
  const def = await loadService(dir, service).catch(() => undefined);
  if (def) return cli.node(flag ?? def.node);
  const node = await cli.singleNode(flag, `service "${service}" has no definition`);
  const { services } = await (await cli.agent(node)).listServices({});
  if (!services.some((known) => known.name === service))
    throw new CliError(
      `unknown service "${service}": no definition in ${dir} and node ${node.name} does not run it`,
    );
  return node;
}

/** `mcp push <local> <service> [path]`: one file to `<root>/<service>/<path>`, mode kept. */
export async function pushCommand(
  cli: Cli,
  local: string,
  service: string,
  path: string | undefined,
  options: { node?: string },
): Promise<void> {
  const [content, info] = await Promise.all([readFile(local), stat(local)]);
  const node = await serviceNode(cli, service, options.node);
  const response = await (await cli.agent(node)).pushFile({
    service,
    path: path ?? basename(local),
    content,
    mode: info.mode & 0o777,
  });
  if (cli.json) cli.printJson({ node: node.name, path: response.path, size: Number(response.size) });
  else cli.print(`${local} → ${node.name}:${response.path} (${response.size} bytes)`);
}

/** `mcp pull <service> <path> [local]`: one file back, mode kept, written atomically. */
export async function pullCommand(
  cli: Cli,
  service: string,
  path: string,
  local: string | undefined,
  options: { node?: string },
): Promise<void> {
  const node = await serviceNode(cli, service, options.node);
  const response = await (await cli.agent(node)).pullFile({ service, path });
  const target = resolve(local ?? basename(path));
  await writeFileAtomic(target, response.content, response.mode || 0o644);
  if (cli.json)
    cli.printJson({ node: node.name, path: response.path, local: target, size: response.content.length });
  else cli.print(`${node.name}:${response.path} → ${target} (${response.content.length} bytes)`);
}

export function registerFiles(program: Command, cli: Cli): void {
  program
    .command('push')
    .argument('<local>', 'file to send')
    .argument('<service>')
    .argument('[path]', 'path under the service directory (default: the file name)')
    .description("copy one file into the service's directory on its node (/srv/<service>/)")
    .option('--node <name>', "node to push to (default: the service definition's)")
    .action((local: string, service: string, path: string | undefined, options: { node?: string }) =>
      pushCommand(cli, local, service, path, options),
    );
  program
    .command('pull')
    .argument('<service>')
    .argument('<path>', 'path under the service directory')
    .argument('[local]', 'where to write it (default: the file name, here)')
    .description("copy one file from the service's directory on its node")
    .option('--node <name>', "node to pull from (default: the service definition's)")
    .action((service: string, path: string, local: string | undefined, options: { node?: string }) =>
      pullCommand(cli, service, path, local, options),
    );
}
