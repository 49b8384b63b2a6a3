import { spawn } from 'node:child_process';
import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../common/atomic-write.js';
import { componentFromProto } from '../../servicedef/convert.js';
import { loadService, serviceDefPath } from '../../servicedef/load.js';
import { formatServiceDef, parseServiceDef } from '../../servicedef/toml.js';
import type { ServiceDef } from '../../servicedef/types.js';
import { validateServiceDef } from '../../servicedef/validate.js';
import { type Cli, CliError } from '../context.js';
import { removeCommand } from './service-remove.js';

/** `mcp service show <name>`: the definition file as written. */
export async function showCommand(cli: Cli, name: string): Promise<void> {
  const dir = (await cli.config()).servicesDir;
  const def = await loadService(dir, name);
  if (cli.json) cli.printJson(def);
  else cli.print(await readFile(serviceDefPath(dir, name), 'utf8'));
}

function runEditor(cli: Cli, file: string): Promise<void> {
  const words = (cli.io.env.VISUAL || cli.io.env.EDITOR || 'vi').trim().split(/\s+/);
  const [command = 'vi', ...args] = words;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, file], { stdio: 'inherit', env: { ...cli.io.env } });
    child.on('error', (error) => reject(new CliError(`cannot start editor "${command}": ${error.message}`)));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new CliError(`editor exited with code ${code}`)),
    );
  });
}

/**
 * `mcp service edit <name>`: edits a copy in $VISUAL/$EDITOR and replaces the file only when the copy
 * still validates; otherwise the copy is kept for another try and the file is unchanged.
 */
export async function editCommand(cli: Cli, name: string): Promise<void> {
  const path = serviceDefPath((await cli.config()).servicesDir, name);
  await loadService(dirname(path), name);
  const draft = join(dirname(path), `.${name}.edit.toml`);
  await copyFile(path, draft);
  await runEditor(cli, draft);
  const text = await readFile(draft, 'utf8');
  if (text === (await readFile(path, 'utf8'))) {
    await rm(draft, { force: true });
    cli.print(`${name}: no changes`);
    return;
  }
  let def: ServiceDef;
  try {
    def = parseServiceDef(text, path);
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nyour edit is kept in ${draft}; ${path} is unchanged`);
  }
  if (def.name !== name)
    throw new CliError(`the edit renames the service to "${def.name}"; kept in ${draft}`);
  await rename(draft, path);
  cli.print(`${path} saved; run "mcp deploy ${name}" to apply it`);
}

/** `mcp service export <name>`: the definition as the node's registry has it, as TOML that loads back. */
export async function exportCommand(
  cli: Cli,
  name: string,
  options: { node?: string; output?: string },
): Promise<void> {
  const config = await cli.config();
  const localNode = await loadService(config.servicesDir, name).then(
    (def) => def.node,
    () => undefined,
  );
  const node = await cli.singleNode(options.node ?? localNode, `export ${name}`);
  const { services } = await (await cli.agent(node)).listServices({});
  const service = services.find((s) => s.name === name);
  if (!service) throw new CliError(`service "${name}" is not deployed on node ${node.name}`);
  const managed = service.components.filter((c) => c.desiredState !== 'ignore' && c.spec);
  if (managed.length === 0) throw new CliError(`service "${name}" has no managed components; adopt it first`);
  const def = validateServiceDef(
    {
      name,
      node: node.name,
      active: service.active,
      components: managed.map((c) => componentFromProto(c.spec ?? {})),
    },
    `service "${name}" on ${node.name}`,
  );
  const text = formatServiceDef(def);
  if (options.output) {
    await writeFileAtomic(options.output, text);
    cli.print(`wrote ${options.output}`);
  } else if (cli.json) cli.printJson(def);
  else cli.print(text);
}

export function registerService(program: Command, cli: Cli): void {
  const service = program.command('service').description('show, edit, export or remove services');
  service
    .command('show')
    .argument('<name>')
    .description('print the service definition')
    .action((name: string) => showCommand(cli, name));
  service
    .command('edit')
    .argument('<name>')
    .description('edit the definition in $EDITOR; saved only if it validates')
    .action((name: string) => editCommand(cli, name));
  service
    .command('export')
    .argument('<name>')
    .description("write the definition from the node's registry (e.g. after adopt)")
    .option('--node <name>', 'the node to ask')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action((name: string, options: { node?: string; output?: string }) => exportCommand(cli, name, options));
  service
    .command('remove')
    .argument('<name>')
    .description('stop and remove its containers and forget it on its node; files are kept unless --purge')
    .option('--node <name>', "the node to remove it from (default: the definition's)")
    .option('--purge', 'also delete its files on the node and the local definition')
    .action((name: string, options: { node?: string; purge?: boolean }) => removeCommand(cli, name, options));
}
