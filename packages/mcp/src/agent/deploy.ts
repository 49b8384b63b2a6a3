import type { MessageInitShape } from '@bufbuild/protobuf';
import type { DeployRequest, DeployResponseSchema } from '../gen/mcp/v1/mcp_pb.js';
import { imageVersion } from '../runtime/version.js';
import { serviceFromProto } from '../servicedef/convert.js';
import type { ComponentDef, ServiceDef } from '../servicedef/types.js';
import type { AgentContext } from './context.js';
import { invalidArgument } from './errors.js';
import { deployComponent, type OpResult, removeComponent, stopComponent } from './operations.js';
import { resultToProto } from './present.js';

/** Records the definition and brings each component to it; an inactive service is recorded stopped. */
export async function applyService(ctx: AgentContext, def: ServiceDef, only?: string): Promise<OpResult[]> {
  const targets = only === undefined ? def.components : def.components.filter((c) => c.name === only);
  const previous = ctx.registry.getService(def.name);
  const dropped: ComponentDef[] =
    only === undefined
      ? (previous?.components ?? [])
          .filter((c) => c.desired !== 'ignore' && !def.components.some((d) => d.name === c.spec.name))
          .map((c) => c.spec)
      : [];
  ctx.registry.transaction(() => {
    ctx.registry.upsertService(def.name, def.active);
    for (const spec of targets) {
      ctx.registry.putComponent(def.name, spec, def.active ? 'running' : 'stopped', imageVersion(spec.image));
    }
  });
  const results: OpResult[] = [];
  for (const spec of targets) {
    const version = imageVersion(spec.image);
    results.push(
      def.active
        ? await deployComponent(ctx, def.name, spec, version)
        : await stopComponent(ctx, def.name, spec, version),
    );
  }
  for (const spec of dropped)
    results.push(await removeComponent(ctx, def.name, spec, imageVersion(spec.image)));
  return results;
}

export async function deploy(
  ctx: AgentContext,
  request: DeployRequest,
): Promise<MessageInitShape<typeof DeployResponseSchema>> {
  if (!request.service) throw invalidArgument('service is required');
  const def = serviceFromProto(request.service, ctx.nodeName);
  if (request.component !== '' && !def.components.some((c) => c.name === request.component)) {
    throw invalidArgument(`service "${def.name}" has no component "${request.component}"`);
  }
  const only = request.component === '' ? undefined : request.component;
  const results = await ctx.queue.run(() => applyService(ctx, def, only));
  return { results: results.map(resultToProto) };
}
