import type { AgentContext } from '../agent/context.js';
import { type OpResult, startComponent } from '../agent/operations.js';
import { containerName } from '../runtime/naming.js';

/**
 * Brings back every component whose desired state is running but whose container is not: a missing
 * container is recreated from the stored spec, a stopped one is started.
 */
export function recover(ctx: AgentContext): Promise<OpResult[]> {
  return ctx.queue.run(async () => {
    const states = new Map((await ctx.runtime.list()).map((c) => [c.name, c.state]));
    const results: OpResult[] = [];
    for (const service of ctx.registry.listServices()) {
      for (const component of service.components) {
        if (component.desired !== 'running') continue;
        if (states.get(containerName(service.name, component.spec.name)) === 'running') continue;
        results.push(await startComponent(ctx, service.name, component.spec, component.version));
      }
    }
    return results;
  });
}
