import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ComponentResultSchema } from '../../gen/mcp/v1/mcp_pb.js';
import { loadService, serviceDefPath } from '../../servicedef/load.js';
import type { Cli } from '../context.js';
import { printResults } from '../present.js';

/**
 * What happens to the local definition once the node forgot the service: set aside as
 * `.<name>.removed.toml` (which `mcp sync` skips), or deleted with `--purge`.
 */
async function retireDefinition(path: string, name: string, purge: boolean): Promise<string> {
  if (purge) {
    await rm(path);
    return `deleted ${path}`;
  }
  const aside = join(dirname(path), `.${name}.removed.toml`);
  await rename(path, aside);
  return `moved ${path} to ${aside}`;
}

/**
 * `mcp service remove <name> [--purge]`: the node stops and removes the containers and forgets the
 * service. The node's files for it and the local definition are kept unless `--purge`.
 */
export async function removeCommand(
  cli: Cli,
  name: string,
  options: { node?: string; purge?: boolean },
): Promise<void> {
  const dir = (await cli.config()).servicesDir;
  const def = await loadService(dir, name).catch(() => undefined);
  const node = await cli.singleNode(options.node ?? def?.node, `remove ${name}`);
  const purge = options.purge === true;
  const response = await (await cli.agent(node)).removeService({ name, purgeFiles: purge });
  const definition =
    response.forgotten && def ? await retireDefinition(serviceDefPath(dir, name), name, purge) : '';
  if (!response.forgotten) cli.failed = true;
  if (cli.json) {
    cli.printJson({
      node: node.name,
      results: response.results.map((r) => cli.messageJson(ComponentResultSchema, r)),
      forgotten: response.forgotten,
      filesRemoved: response.filesRemoved,
      definition,
    });
    return;
  }
  printResults(cli, `remove ${name}`, response.results);
  if (!response.forgotten) {
    cli.print(`${name} stays on node ${node.name}: a container could not be removed`);
    return;
  }
  cli.print(`node ${node.name} forgot ${name}`);
  if (response.filesRemoved) cli.print(`deleted ${node.name}:${response.filesRemoved}`);
  else cli.print(`kept its files on ${node.name} (delete them with --purge)`);
  if (definition) cli.print(definition);
}
