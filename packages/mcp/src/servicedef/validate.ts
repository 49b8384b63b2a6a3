import { isPortMapping, isVolume, PORT_SYNTAX, VOLUME_SYNTAX } from './run-options.js';
import { type ComponentDef, componentDef, type ServiceDef } from './types.js';

/** Service and component names become container names and directory names. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESTART_PATTERN = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

const SERVICE_KEYS = new Set(['name', 'node', 'active', 'components']);
const COMPONENT_KEYS = new Set([
  'name',
  'image',
  'network',
  'user',
  'restart',
  'ports',
  'volumes',
  'cmd',
  'env',
]);

/** A service definition that does not validate; `problems` names every field at fault. */
export class ServiceDefError extends Error {
  constructor(
    readonly problems: string[],
    readonly source = 'service definition',
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ServiceDefError';
  }
}

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

class Checker {
  readonly problems: string[] = [];

  unknownKeys(table: Record_, allowed: Set<string>, where: string): void {
    for (const key of Object.keys(table)) {
      if (!allowed.has(key)) this.problems.push(`${where}${key} is not a known key`);
    }
  }

  name(value: unknown, field: string): string {
    if (value === undefined || value === '') {
      this.problems.push(`${field} is required`);
      return '';
    }
    if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
      this.problems.push(`${field} must match ${NAME_PATTERN.source}`);
      return '';
    }
    return value;
  }

  optionalString(value: unknown, field: string): string {
    if (value === undefined) return '';
    if (typeof value !== 'string') {
      this.problems.push(`${field} must be a string`);
      return '';
    }
    return value;
  }

  stringList(value: unknown, field: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.problems.push(`${field} must be an array of strings`);
      return [];
    }
    return value as string[];
  }

  /** `-p`/`-v` values in the syntax podman accepts, so that a recorded definition can always run. */
  optionValues(value: unknown, field: string, valid: (item: string) => boolean, syntax: string): string[] {
    const list = this.stringList(value, field);
    list.forEach((item, index) => {
      if (!valid(item)) this.problems.push(`${field}[${index}] "${item}" must be ${syntax}`);
    });
    return list;
  }

  env(value: unknown, field: string): string[] {
    let pairs: string[] = [];
    if (isRecord(value)) {
      for (const [key, val] of Object.entries(value)) {
        if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean')
          pairs.push(`${key}=${val}`);
        else this.problems.push(`${field}.${key} must be a string`);
      }
    } else {
      pairs = this.stringList(value, field);
    }
    pairs.forEach((pair, index) => {
      const key = pair.split('=', 1)[0] ?? '';
      if (!pair.includes('=') || !ENV_KEY_PATTERN.test(key)) {
        this.problems.push(
          `${field}[${index}] must be KEY=VALUE with KEY matching ${ENV_KEY_PATTERN.source}`,
        );
      }
    });
    return pairs;
  }

  image(value: unknown, field: string): string {
    if (value === undefined || value === '') {
      this.problems.push(`${field} is required`);
      return '';
    }
    if (typeof value !== 'string' || /\s/.test(value) || value.startsWith('-')) {
      this.problems.push(`${field} must be an image reference without spaces`);
      return '';
    }
    return value;
  }

  restart(value: unknown, field: string): string {
    const restart = this.optionalString(value, field);
    if (restart !== '' && !RESTART_PATTERN.test(restart)) {
      this.problems.push(`${field} must be one of no, always, unless-stopped, on-failure[:N]`);
    }
    return restart;
  }
}

function checkComponent(check: Checker, raw: unknown, index: number): ComponentDef {
  const where = `components[${index}]`;
  if (!isRecord(raw)) {
    check.problems.push(`${where} must be a table`);
    return componentDef('', '');
  }
  check.unknownKeys(raw, COMPONENT_KEYS, `${where}.`);
  return {
    name: check.name(raw.name, `${where}.name`),
    image: check.image(raw.image, `${where}.image`),
    network: check.optionalString(raw.network, `${where}.network`),
    user: check.optionalString(raw.user, `${where}.user`),
    restart: check.restart(raw.restart, `${where}.restart`),
    ports: check.optionValues(raw.ports, `${where}.ports`, isPortMapping, PORT_SYNTAX),
    volumes: check.optionValues(raw.volumes, `${where}.volumes`, isVolume, VOLUME_SYNTAX),
    cmd: check.stringList(raw.cmd, `${where}.cmd`),
    env: check.env(raw.env, `${where}.env`),
  };
}

/**
 * Validates a parsed service definition: required fields, at least one component, unique component
 * names, known keys only. Throws ServiceDefError naming every problem.
 */
export function validateServiceDef(raw: unknown, source?: string): ServiceDef {
  const check = new Checker();
  if (!isRecord(raw)) throw new ServiceDefError(['must be a table'], source);
  check.unknownKeys(raw, SERVICE_KEYS, '');
  const name = check.name(raw.name, 'name');
  let node = '';
  if (typeof raw.node !== 'string' || raw.node === '') check.problems.push('node is required');
  else node = raw.node;
  let active = true;
  if (raw.active !== undefined) {
    if (typeof raw.active === 'boolean') active = raw.active;
    else check.problems.push('active must be true or false');
  }
  const components: ComponentDef[] = [];
  if (raw.components === undefined) check.problems.push('at least one [[components]] is required');
  else if (!Array.isArray(raw.components)) check.problems.push('components must be an array of tables');
  else {
    if (raw.components.length === 0) check.problems.push('at least one [[components]] is required');
    raw.components.forEach((item, index) => {
      components.push(checkComponent(check, item, index));
    });
  }
  const seen = new Set<string>();
  for (const component of components) {
    if (component.name !== '' && seen.has(component.name)) {
      check.problems.push(`component name "${component.name}" is used twice`);
    }
    seen.add(component.name);
  }
  if (check.problems.length > 0) throw new ServiceDefError(check.problems, source);
  return { name, node, active, components };
}
