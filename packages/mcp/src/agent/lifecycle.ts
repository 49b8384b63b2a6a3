import type { ComponentResult } from '../gen/mcp/v1/mcp_pb.js';
import type { ComponentRecord } from '../registry/types.js';
import type { AgentContext } from './context.js';
import { notFound, requireServiceName } from './errors.js';
import { type OpResult, restartComponent, startComponent, stopComponent } from './operations.js';
import { resultToProto } from './present.js';

/** The body of StopServiceResponse, StartServiceResponse and RestartServiceResponse alike. */
interface Results {
  results: ComponentResult[];
}
type ComponentOp = typeof stopComponent;

const isManaged = (component: ComponentRecord): boolean => component.desired !== 'ignore';

/**
 * Looks the service up, records its new desired state when given, then applies `op` to each
 * component that `include` selects (by default every managed one).
 */
async function eachComponent(
  ctx: AgentContext,
  name: string,
  op: ComponentOp,
  desired?: 'running' | 'stopped',
  include: (component: ComponentRecord) => boolean = isManaged,
): Promise<Results> {
  requireServiceName(name);
  return ctx.queue.run(async () => {
    const service = ctx.registry.getService(name);
    if (!service) throw notFound(`service "${name}" is not deployed on this node`);
    const components = service.components.filter(include);
    if (desired !== undefined) {
      ctx.registry.transaction(() => {
        ctx.registry.setServiceActive(name, desired === 'running');
        for (const component of components) ctx.registry.setDesired(name, component.spec.name, desired);
      });
    }
    const results: OpResult[] = [];
    for (const component of components) results.push(await op(ctx, name, component.spec, component.version));
    return { results: results.map(resultToProto) };
  });
}

export const stopService = (ctx: AgentContext, name: string): Promise<Results> =>
  eachComponent(ctx, name, stopComponent, 'stopped');

export const startService = (ctx: AgentContext, name: string): Promise<Results> =>
  eachComponent(ctx, name, startComponent, 'running');

/** Restarts the components meant to run, without touching desired state. */
export const restartService = (ctx: AgentContext, name: string): Promise<Results> =>
  eachComponent(ctx, name, restartComponent, undefined, (component) => component.desired === 'running');
