import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  type ComponentSpec,
  ComponentSpecSchema,
  type ServiceSpec,
  ServiceSpecSchema,
} from '../gen/mcp/v1/mcp_pb.js';
import type { ComponentDef, ServiceDef } from './types.js';
import { validateServiceDef } from './validate.js';

export function componentToProto(component: ComponentDef): ComponentSpec {
  return create(ComponentSpecSchema, {
    name: component.name,
    image: component.image,
    network: component.network,
    user: component.user,
    restart: component.restart,
    ports: [...component.ports],
    volumes: [...component.volumes],
    cmd: [...component.cmd],
    env: [...component.env],
  });
}

export function componentFromProto(spec: MessageInitShape<typeof ComponentSpecSchema>): ComponentDef {
  return {
    name: spec.name ?? '',
    image: spec.image ?? '',
    network: spec.network ?? '',
    user: spec.user ?? '',
    restart: spec.restart ?? '',
    ports: [...(spec.ports ?? [])],
    volumes: [...(spec.volumes ?? [])],
    cmd: [...(spec.cmd ?? [])],
    env: [...(spec.env ?? [])],
  };
}

/** The wire form of a definition; `node` stays with the CLI, which picks the agent to talk to. */
export function serviceToProto(def: ServiceDef): ServiceSpec {
  return create(ServiceSpecSchema, {
    name: def.name,
    active: def.active,
    components: def.components.map(componentToProto),
  });
}

/** A definition from the wire, validated by the same rules as a file (throws ServiceDefError). */
export function serviceFromProto(spec: ServiceSpec, node: string): ServiceDef {
  return validateServiceDef(
    {
      name: spec.name,
      node,
      active: spec.active,
      components: spec.components.map(componentFromProto),
    },
    `service "${spec.name}"`,
  );
}
