import type { ComponentDef } from '../servicedef/types.js';

// Pure argv builders for the podman CLI: every argument is its own array element, never a shell string.

/** `run -d --name N [--network] [--user] [--restart] [-p …] [-v …] [-e …] IMAGE CMD…` */
export function runArgs(name: string, component: ComponentDef): string[] {
  const args = ['run', '-d', '--name', name];
  if (component.network) args.push('--network', component.network);
  if (component.user) args.push('--user', component.user);
  if (component.restart) args.push('--restart', component.restart);
  for (const port of component.ports) args.push('-p', port);
  for (const volume of component.volumes) args.push('-v', volume);
  for (const pair of component.env) args.push('-e', pair);
  args.push(component.image, ...component.cmd);
  return args;
}

export const pullArgs = (image: string): string[] => ['pull', image];
/** Stopping a container that does not exist is not an error. */
export const stopArgs = (name: string): string[] => ['stop', '--ignore', name];
/** Removes a container, stopped or not; a missing one is not an error. */
export const removeArgs = (name: string): string[] => ['rm', '--force', '--ignore', name];
export const startArgs = (name: string): string[] => ['start', name];
export const restartArgs = (name: string): string[] => ['restart', name];
export const psArgs = (): string[] => ['ps', '--all', '--format', 'json'];
export const inspectArgs = (name: string): string[] => ['container', 'inspect', name];
/** One `NAME COUNT` line per container: how often its restart policy restarted it. */
export const restartCountArgs = (names: string[]): string[] => [
  'container',
  'inspect',
  '--format',
  '{{.Name}} {{.RestartCount}}',
  ...names,
];
export const imageInspectArgs = (image: string): string[] => ['image', 'inspect', image];
export const imageExistsArgs = (image: string): string[] => ['image', 'exists', image];
export const versionArgs = (): string[] => ['version', '--format', 'json'];
