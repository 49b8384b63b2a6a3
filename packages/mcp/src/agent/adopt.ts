import type { MessageInitShape } from '@bufbuild/protobuf';
import type { AdoptContainersResponseSchema } from '../gen/mcp/v1/mcp_pb.js';
import { splitContainerName } from '../runtime/naming.js';
import { imageVersion } from '../runtime/version.js';
import { specFromContainer } from './container-spec.js';
import type { AgentContext } from './context.js';
import { notFound, requireServiceName } from './errors.js';

/**
 * Takes over the containers named `<service>-*` (or `<service>`), except those of a known longer
 * service name: each becomes a managed component
 * whose spec is read from the container, desired running if it runs and stopped otherwise.
 */
export async function adoptContainers(
  ctx: AgentContext,
  service: string,
): Promise<MessageInitShape<typeof AdoptContainersResponseSchema>> {
  requireServiceName(service, 'service');
  return ctx.queue.run(async () => {
    // Containers of a known longer service (`mc-proxy-web` when adopting `mc`) are not ours.
    const known = [...ctx.registry.serviceNames(), service];
    const owned = (await ctx.runtime.list())
      .map((container) => ({ container, owner: splitContainerName(container.name, known) }))
      .filter(({ owner }) => owner.service === service)
      .map(({ container, owner }) => ({ container, component: owner.component }));
    if (owned.length === 0) throw notFound(`no container is named "${service}" or "${service}-*"`);
    const found = [];
    for (const { container, component } of owned) {
      const details = await ctx.runtime.inspect(container.name);
      if (details) found.push({ container: container.name, component, details });
    }
    // A new service is active only if one of its containers runs, so that deploying its exported
    // definition does not start what was stopped.
    const active = found.some(({ details }) => details.state === 'running');
    const adopted = [];
    for (const { container, component, details } of found) {
      const spec = await specFromContainer(ctx.runtime, component, details);
      const desired = details.state === 'running' ? 'running' : 'stopped';
      ctx.registry.transaction(() => {
        if (!ctx.registry.getService(service)) ctx.registry.upsertService(service, active);
        ctx.registry.putComponent(service, spec, desired, imageVersion(spec.image));
        ctx.registry.setObserved(service, component, details.state, 'operation');
      });
      adopted.push({ container, component, image: spec.image, observedState: details.state });
    }
    return { adopted };
  });
}
