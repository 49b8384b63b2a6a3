import { asNumber, asRecord, asString, asStringArray, parseJsonArray } from './json.js';
import type { ContainerDetails, ContainerSummary, ImageDefaults } from './runtime.js';

/** Parses `podman ps --all --format json`. `Command` is an array; times are Unix seconds. */
export function parsePs(text: string): ContainerSummary[] {
  return parseJsonArray(text, 'podman ps').map((item) => {
    const entry = asRecord(item);
    const startedAt = asNumber(entry.StartedAt);
    const created = asNumber(entry.Created);
    return {
      id: asString(entry.Id),
      name: asStringArray(entry.Names)[0] ?? '',
      image: asString(entry.Image),
      command: asStringArray(entry.Command),
      state: asString(entry.State),
      status: asString(entry.Status),
      startedAt: startedAt > 0 ? new Date(startedAt * 1000) : undefined,
      createdAt: created > 0 ? new Date(created * 1000) : undefined,
    };
  });
}

const DEFAULT_BIND_OPTIONS = new Set(['rw', 'rprivate', 'private', 'rbind', 'bind']);
/** Variables podman adds to every container by itself. */
const PODMAN_ENV = new Set(['container', 'HOSTNAME', 'TERM']);

function parseTime(value: unknown): Date | undefined {
  const text = asString(value);
  if (text === '' || text.startsWith('0001-01-01')) return undefined;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** `-p` forms from HostConfig.PortBindings: `8080/tcp → [{HostIp, HostPort}]` → `127.0.0.1:18080:8080`. */
function portsFrom(bindings: unknown): string[] {
  const ports: string[] = [];
  for (const [containerPort, hosts] of Object.entries(asRecord(bindings))) {
    const [port, protocol] = containerPort.split('/');
    const suffix = protocol && protocol !== 'tcp' ? `/${protocol}` : '';
    for (const host of Array.isArray(hosts) ? hosts : []) {
      const binding = asRecord(host);
      const hostIp = asString(binding.HostIp);
      const hostPort = asString(binding.HostPort);
      const address = hostIp.includes(':') ? `[${hostIp}]` : hostIp;
      const prefix = hostIp && hostIp !== '0.0.0.0' ? `${address}:` : '';
      ports.push(`${prefix}${hostPort}:${port}${suffix}`);
    }
  }
  return ports;
}

/** `-v` forms from HostConfig.Binds, without the options podman adds by default. */
function volumesFrom(binds: unknown): string[] {
  return asStringArray(binds).map((bind) => {
    const [source, target, options = ''] = bind.split(':');
    const kept = options.split(',').filter((option) => option !== '' && !DEFAULT_BIND_OPTIONS.has(option));
    return kept.length > 0 ? `${source}:${target}:${kept.join(',')}` : `${source}:${target}`;
  });
}

/** Parses `podman container inspect NAME` (a one-element array). */
export function parseInspect(text: string): ContainerDetails | undefined {
  const [first] = parseJsonArray(text, 'podman inspect');
  if (first === undefined) return undefined;
  const entry = asRecord(first);
  const state = asRecord(entry.State);
  const config = asRecord(entry.Config);
  const host = asRecord(entry.HostConfig);
  const restart = asString(asRecord(host.RestartPolicy).Name);
  const network = asString(host.NetworkMode);
  return {
    id: asString(entry.Id),
    name: asString(entry.Name),
    image: asString(entry.ImageName) || asString(config.Image),
    state: asString(state.Status),
    startedAt: parseTime(state.StartedAt),
    network: network === 'bridge' || network === 'default' ? '' : network,
    user: asString(config.User),
    restart: restart === 'no' ? '' : restart,
    ports: portsFrom(host.PortBindings),
    volumes: volumesFrom(host.Binds),
    cmd: asStringArray(config.Cmd),
    env: asStringArray(config.Env).filter((pair) => !PODMAN_ENV.has(pair.split('=', 1)[0] ?? '')),
  };
}

/** Parses `podman image inspect IMAGE`: the environment and command every container inherits. */
export function parseImageInspect(text: string): ImageDefaults {
  const [first] = parseJsonArray(text, 'podman image inspect');
  const config = asRecord(asRecord(first).Config);
  return { env: asStringArray(config.Env), cmd: asStringArray(config.Cmd) };
}

/** Parses `podman version --format json`. */
export function parseVersion(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.trim();
  }
  const record = asRecord(parsed);
  return asString(asRecord(record.Client).Version) || asString(asRecord(record.Server).Version);
}

/** Parses `NAME COUNT` lines (restartCountArgs); other lines are skipped. */
export function parseRestartCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\d+)$/.exec(line.trim());
    if (match?.[1] && match[2]) counts.set(match[1], Number(match[2]));
  }
  return counts;
}
