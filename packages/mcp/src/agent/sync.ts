import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  type ServiceSpec,
  type SyncChange,
  SyncChangeSchema,
  type SyncDesiredStateResponseSchema,
} from '../gen/mcp/v1/mcp_pb.js';
import type { ComponentRecord } from '../registry/types.js';
import { containerName, splitContainerName } from '../runtime/naming.js';
import { imageVersion } from '../runtime/version.js';
import { serviceFromProto } from '../servicedef/convert.js';
import { type ComponentDef, type ServiceDef, sameComponentDef } from '../servicedef/types.js';
import { specFromContainer } from './container-spec.js';
import type { AgentContext } from './context.js';
import { invalidArgument } from './errors.js';
import {
  deployComponent,
  type OpResult,
  observe,
  removeComponent,
  startComponent,
  stopComponent,
} from './operations.js';

function change(
  service: string,
  component: string,
  kind: string,
  result?: OpResult,
  detail = '',
): SyncChange {
  return create(SyncChangeSchema, {
    service,
    component,
    change: kind,
    ok: result?.ok ?? true,
    detail: result?.error || detail || (result ? `${result.action || 'done'}, ${result.observed}` : ''),
  });
}

/** Brings one component to its definition; returns the change made, if any. */
async function syncComponent(
  ctx: AgentContext,
  def: ServiceDef,
  spec: ComponentDef,
  previous: ComponentRecord | undefined,
): Promise<SyncChange | undefined> {
  const version = imageVersion(spec.image);
  const changed = !previous || previous.desired === 'ignore' || !sameComponentDef(previous.spec, spec);
  ctx.registry.putComponent(def.name, spec, def.active ? 'running' : 'stopped', version);
  const state = await observe(ctx, containerName(def.name, spec.name));
  if (def.active) {
    if (changed) {
      const result = await deployComponent(ctx, def.name, spec, version);
      return change(def.name, spec.name, previous ? 'updated' : 'created', result);
    }
    if (state !== 'running')
      return change(def.name, spec.name, 'started', await startComponent(ctx, def.name, spec, version));
    return undefined;
  }
  if (state === 'running')
    return change(def.name, spec.name, 'stopped', await stopComponent(ctx, def.name, spec, version));
  if (previous?.desired !== 'stopped') {
    return change(
      def.name,
      spec.name,
      previous ? 'stopped' : 'created',
      undefined,
      'inactive: recorded as stopped',
    );
  }
  return undefined;
}

async function syncService(ctx: AgentContext, def: ServiceDef): Promise<SyncChange[]> {
  const previous = ctx.registry.getService(def.name);
  ctx.registry.upsertService(def.name, def.active);
  const changes: SyncChange[] = [];
  for (const spec of def.components) {
    const old = previous?.components.find((c) => c.spec.name === spec.name);
    const made = await syncComponent(ctx, def, spec, old);
    if (made) changes.push(made);
  }
  for (const old of previous?.components ?? []) {
    if (old.desired === 'ignore' || def.components.some((c) => c.name === old.spec.name)) continue;
    changes.push(
      change(def.name, old.spec.name, 'removed', await removeComponent(ctx, def.name, old.spec, old.version)),
    );
  }
  return changes;
}

/** Records containers that no registry component accounts for as `ignore`, so they show up but stay untouched. */
async function recordUnmanaged(ctx: AgentContext): Promise<SyncChange[]> {
  const known = new Set(
    ctx.registry.listServices().flatMap((s) => s.components.map((c) => containerName(s.name, c.spec.name))),
  );
  const changes: SyncChange[] = [];
  for (const container of await ctx.runtime.list()) {
    if (known.has(container.name)) continue;
    const owner = splitContainerName(container.name, ctx.registry.serviceNames());
    const details = await ctx.runtime.inspect(container.name);
    if (!details) continue;
    const spec = await specFromContainer(ctx.runtime, owner.component, details);
    ctx.registry.transaction(() => {
      if (!ctx.registry.getService(owner.service)) ctx.registry.upsertService(owner.service, true);
      ctx.registry.putComponent(owner.service, spec, 'ignore', imageVersion(spec.image));
      ctx.registry.setObserved(owner.service, owner.component, details.state, 'operation');
    });
    changes.push(
      change(owner.service, owner.component, 'ignored', undefined, `unmanaged container ${container.name}`),
    );
  }
  return changes;
}

/**
 * Converges the node to every definition pushed for it: new and changed components are deployed,
 * unchanged ones that are not running are started, inactive services are stopped, components gone
 * from a definition are removed, and containers nobody declared are recorded as `ignore`.
 * Services the request does not mention are left alone.
 */
export async function syncDesiredState(
  ctx: AgentContext,
  specs: ServiceSpec[],
): Promise<MessageInitShape<typeof SyncDesiredStateResponseSchema>> {
  const defs = specs.map((spec) => serviceFromProto(spec, ctx.nodeName));
  const names = new Set<string>();
  for (const def of defs) {
    if (names.has(def.name)) throw invalidArgument(`service "${def.name}" appears twice`);
    names.add(def.name);
  }
  return ctx.queue.run(async () => {
    const changes: SyncChange[] = [];
    for (const def of defs) changes.push(...(await syncService(ctx, def)));
    changes.push(...(await recordUnmanaged(ctx)));
    return { changes };
  });
}
