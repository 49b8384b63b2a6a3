import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { RemoveServiceRequest, RemoveServiceResponseSchema } from '../gen/mcp/v1/mcp_pb.js';
import type { AgentContext } from './context.js';
import { notFound, requireServiceName } from './errors.js';
import { removeComponent } from './operations.js';
import { resultToProto } from './present.js';

/**
 * Stops and removes every managed container of the service, then forgets it (components, events);
 * containers recorded as `ignore` are left alone. A container that cannot be removed keeps the
 * service in the registry. Its files are deleted only when asked.
 */
export async function removeService(
  ctx: AgentContext,
  request: RemoveServiceRequest,
): Promise<MessageInitShape<typeof RemoveServiceResponseSchema>> {
  const name = requireServiceName(request.name);
  return ctx.queue.run(async () => {
    const service = ctx.registry.getService(name);
    if (!service) throw notFound(`service "${name}" is not deployed on this node`);
    const results = [];
    for (const component of service.components.filter((c) => c.desired !== 'ignore'))
      results.push(await removeComponent(ctx, name, component.spec, component.version));
    const forgotten = results.every((result) => result.ok) && ctx.registry.deleteService(name);
    let filesRemoved = '';
    if (forgotten && request.purgeFiles) {
      filesRemoved = join(ctx.filesRoot, name);
      await rm(filesRemoved, { recursive: true, force: true });
    }
    ctx.logger.info({ service: name, forgotten, filesRemoved }, 'service removed');
    return { results: results.map(resultToProto), forgotten, filesRemoved };
  });
}
