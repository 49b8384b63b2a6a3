import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type ComponentInfo,
  ComponentInfoSchema,
  type ComponentResult,
  ComponentResultSchema,
  type Event,
  EventSchema,
  type ServiceInfo,
  ServiceInfoSchema,
} from '../gen/mcp/v1/mcp_pb.js';
import type { ComponentRecord, EventRecord, ServiceRecord } from '../registry/types.js';
import { containerName } from '../runtime/naming.js';
import { componentToProto } from '../servicedef/convert.js';
import type { OpResult } from './operations.js';

// Registry records and operation results → wire messages.

export function resultToProto(result: OpResult): ComponentResult {
  return create(ComponentResultSchema, {
    component: result.component,
    container: result.container,
    ok: result.ok,
    error: result.error,
    observedState: result.observed,
    version: result.version,
    warnings: result.warnings,
    action: result.action,
  });
}

export function componentToInfo(record: ComponentRecord, observed = record.observed): ComponentInfo {
  return create(ComponentInfoSchema, {
    spec: componentToProto(record.spec),
    container: containerName(record.service, record.spec.name),
    desiredState: record.desired,
    observedState: observed,
    version: record.version,
    updatedAt: timestampFromDate(record.updatedAt),
  });
}

/** `liveState` replaces the stored observed state with the runtime's, by container name. */
export function serviceToInfo(record: ServiceRecord, liveState?: (container: string) => string): ServiceInfo {
  return create(ServiceInfoSchema, {
    name: record.name,
    active: record.active,
    components: record.components.map((component) =>
      componentToInfo(
        component,
        liveState?.(containerName(record.name, component.spec.name)) ?? component.observed,
      ),
    ),
  });
}

export function eventToProto(event: EventRecord): Event {
  return create(EventSchema, {
    service: event.service,
    component: event.component,
    fromState: event.from,
    toState: event.to,
    time: timestampFromDate(event.time),
    cause: event.cause,
    detail: event.detail,
  });
}
