import type { ContainerDetails, Runtime } from '../runtime/runtime.js';
import type { ComponentDef } from '../servicedef/types.js';

/**
 * The spec a running container was created with, as far as inspect shows it: the image's own
 * environment and default command are left out, so that redeploying the spec gives the same container.
 */
export async function specFromContainer(
  runtime: Runtime,
  component: string,
  details: ContainerDetails,
): Promise<ComponentDef> {
  const defaults = await runtime.imageDefaults(details.image).catch(() => ({ env: [], cmd: [] }));
  const imageEnv = new Set(defaults.env);
  const sameCmd =
    details.cmd.length === defaults.cmd.length && details.cmd.every((arg, i) => arg === defaults.cmd[i]);
  return {
    name: component,
    image: details.image,
    network: details.network,
    user: details.user,
    restart: details.restart,
    ports: details.ports,
    volumes: details.volumes,
    cmd: sameCmd ? [] : details.cmd,
    env: details.env.filter((pair) => !imageEnv.has(pair)),
  };
}
