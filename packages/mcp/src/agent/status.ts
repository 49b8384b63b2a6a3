import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ContainerStatusSchema,
  DriftSchema,
  FlapSchema,
  type GetServiceStatusRequest,
  type GetServiceStatusResponseSchema,
  type ListServicesResponseSchema,
  type LiveCheckResponseSchema,
} from '../gen/mcp/v1/mcp_pb.js';
import { isDrift } from '../monitor/drift.js';
import { flapCount, isFlapping } from '../monitor/flap.js';
import type { ServiceRecord } from '../registry/types.js';
import { containerName, splitContainerName } from '../runtime/naming.js';
import type { ContainerSummary } from '../runtime/runtime.js';
import { imageVersion } from '../runtime/version.js';
import type { AgentContext } from './context.js';
import { notFound, requireServiceName } from './errors.js';
import { MISSING } from './operations.js';
import { eventToProto, serviceToInfo } from './present.js';

const DEFAULT_EVENT_WINDOW_MS = 24 * 3_600_000;
const MAX_EVENTS = 200;

/** The registry only: what this node is meant to run and what it last saw. */
export function listServices(ctx: AgentContext): MessageInitShape<typeof ListServicesResponseSchema> {
  return { services: ctx.registry.listServices().map((service) => serviceToInfo(service)) };
}

/** Live container state by name; containers the runtime does not list are missing. */
export async function liveStates(ctx: AgentContext): Promise<(container: string) => string> {
  const states = new Map((await ctx.runtime.list()).map((c) => [c.name, c.state]));
  return (container) => states.get(container) ?? MISSING;
}

/** Desired state against the runtime's live state, and the recent events. */
export async function serviceStatus(
  ctx: AgentContext,
  request: GetServiceStatusRequest,
): Promise<MessageInitShape<typeof GetServiceStatusResponseSchema>> {
  let services: ServiceRecord[];
  if (request.name === '') services = ctx.registry.listServices();
  else {
    const service = ctx.registry.getService(requireServiceName(request.name));
    if (!service) throw notFound(`service "${request.name}" is not deployed on this node`);
    services = [service];
  }
  const live = await liveStates(ctx);
  const drift = services.flatMap((service) =>
    service.components
      .map((component) => ({ component, observed: live(containerName(service.name, component.spec.name)) }))
      .filter(({ component, observed }) => isDrift(component.desired, observed))
      .map(({ component, observed }) =>
        create(DriftSchema, {
          service: service.name,
          component: component.spec.name,
          desiredState: component.desired,
          observedState: observed,
        }),
      ),
  );
  const since = request.eventsSince
    ? timestampDate(request.eventsSince)
    : new Date(Date.now() - DEFAULT_EVENT_WINDOW_MS);
  const events = ctx.registry.listEvents({
    ...(request.name === '' ? {} : { service: request.name }),
    since,
    limit: MAX_EVENTS,
  });
  return {
    services: services.map((service) => serviceToInfo(service, live)),
    drift,
    events: events.map(eventToProto),
    flapping: await flapping(ctx, services, live),
  };
}

/** Components meant to run that flap now, counting podman's restarts since the monitor last looked. */
async function flapping(ctx: AgentContext, services: ServiceRecord[], live: (container: string) => string) {
  const meantToRun = services
    .flatMap((service) => service.components)
    .filter((component) => component.desired === 'running');
  const present = meantToRun
    .map((component) => containerName(component.service, component.spec.name))
    .filter((container) => live(container) !== MISSING);
  const restartCounts = await ctx.runtime.restartCounts(present);
  const { flapWindowMs, flapThreshold } = ctx.monitor;
  const since = new Date(Date.now() - flapWindowMs);
  return meantToRun
    .map((component) => ({
      component,
      count: flapCount(
        ctx.registry,
        component,
        since,
        restartCounts.get(containerName(component.service, component.spec.name)),
      ),
    }))
    .filter(({ count }) => isFlapping(count, flapThreshold))
    .map(({ component, count }) =>
      create(FlapSchema, {
        service: component.service,
        component: component.spec.name,
        ...count,
        windowSeconds: Math.round(flapWindowMs / 1000),
      }),
    );
}

function containerStatus(ctx: AgentContext, container: ContainerSummary, known: string[]) {
  const owner = splitContainerName(container.name, known);
  const record = ctx.registry.getComponent(owner.service, owner.component);
  return create(ContainerStatusSchema, {
    name: container.name,
    service: owner.service,
    component: owner.component,
    image: container.image,
    version: imageVersion(container.image),
    state: container.state,
    status: container.status,
    ...(container.startedAt && container.state === 'running'
      ? { startedAt: timestampFromDate(container.startedAt) }
      : {}),
    desiredState: record?.desired ?? '',
  });
}

/** Every container the runtime has, live. */
export async function liveCheck(
  ctx: AgentContext,
): Promise<MessageInitShape<typeof LiveCheckResponseSchema>> {
  const containers = await ctx.runtime.list();
  const known = ctx.registry.serviceNames();
  return {
    containers: containers
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((container) => containerStatus(ctx, container, known)),
    checkedAt: timestampFromDate(new Date()),
  };
}
