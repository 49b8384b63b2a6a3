import { parse, stringify } from 'smol-toml';
import type { ComponentDef, ServiceDef } from './types.js';
import { validateServiceDef } from './validate.js';

/** Parses and validates TOML text; `source` names the file in errors. */
export function parseServiceDef(text: string, source?: string): ServiceDef {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new Error(`${source ?? 'service definition'}: invalid TOML: ${(error as Error).message}`);
  }
  return validateServiceDef(raw, source);
}

function componentTable(component: ComponentDef): Record<string, string | string[]> {
  const table: Record<string, string | string[]> = { name: component.name, image: component.image };
  for (const key of ['network', 'user', 'restart'] as const) {
    if (component[key] !== '') table[key] = component[key];
  }
  for (const key of ['ports', 'volumes', 'cmd', 'env'] as const) {
    if (component[key].length > 0) table[key] = component[key];
  }
  return table;
}

/** TOML text for a service definition; empty fields are left out. Loads back to the same definition. */
export function formatServiceDef(def: ServiceDef): string {
  return stringify({
    name: def.name,
    node: def.node,
    active: def.active,
    components: def.components.map(componentTable),
  });
}
