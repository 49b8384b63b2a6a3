import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { NodeStatusResponseSchema } from '../gen/mcp/v1/mcp_pb.js';
import { isDrift } from '../monitor/drift.js';
import { containerName } from '../runtime/naming.js';
import type { AgentContext } from './context.js';
import { liveStates } from './status.js';

/** The agent's identity and version, the runtime's version, and counts of what it runs. */
export async function nodeStatus(
  ctx: AgentContext,
): Promise<MessageInitShape<typeof NodeStatusResponseSchema>> {
  const [runtimeVersion, live] = await Promise.all([
    ctx.runtime.version().catch((error: Error) => `unavailable: ${error.message}`),
    liveStates(ctx).catch(() => undefined),
  ]);
  const services = ctx.registry.listServices();
  const components = services.flatMap((service) =>
    service.components.map((component) => ({
      component,
      observed: live?.(containerName(service.name, component.spec.name)) ?? component.observed,
    })),
  );
  return {
    nodeName: ctx.nodeName,
    agentVersion: ctx.version,
    runtime: ctx.runtime.name,
    runtimeVersion,
    startedAt: timestampFromDate(ctx.startedAt),
    now: timestampFromDate(new Date()),
    services: services.length,
    components: components.length,
    running: components.filter(({ observed }) => observed === 'running').length,
    drifted: components.filter(({ component, observed }) => isDrift(component.desired, observed)).length,
  };
}
