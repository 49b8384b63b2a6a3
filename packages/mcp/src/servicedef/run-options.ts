// Syntax of `-p` and `-v` values, checked before a definition is recorded so that podman never
// refuses them later.

const PORT = '(\\d{1,5})(?:-(\\d{1,5}))?';
/** `[[IP:][HOST_PORT]:]CONTAINER_PORT[/PROTOCOL]`; IPv6 addresses in brackets; ports may be ranges. */
const PUBLISH = new RegExp(
  `^(?:(?:(\\[[0-9A-Fa-f:.]+\\]|\\d{1,3}(?:\\.\\d{1,3}){3}):)?(?:${PORT})?:)?${PORT}(?:/(?:tcp|udp|sctp))?$`,
);
export const PORT_SYNTAX = '[[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]';

const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const VOLUME_OPTIONS = new Set([
  'rw',
  'ro',
  'z',
  'Z',
  'O',
  'U',
  'copy',
  'nocopy',
  'dev',
  'nodev',
  'exec',
  'noexec',
  'suid',
  'nosuid',
  'bind',
  'rbind',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
  'unbindable',
  'runbindable',
  'idmap',
]);
export const VOLUME_SYNTAX = '[SOURCE:]/CONTAINER_PATH[:OPTIONS], SOURCE an absolute path or a volume name';

/** Whether `value` is a port mapping podman accepts, with every port in 1–65535. */
export function isPortMapping(value: string): boolean {
  const match = PUBLISH.exec(value);
  if (!match) return false;
  const ports = match.slice(2).filter((port) => port !== undefined);
  return ports.every((port) => Number(port) >= 1 && Number(port) <= 65_535);
}

const isOption = (option: string): boolean => VOLUME_OPTIONS.has(option) || /^idmap=\S+$/.test(option);

/** Whether `value` is a volume podman accepts: an absolute target, a path or named source, known options. */
export function isVolume(value: string): boolean {
  const parts = value.split(':');
  if (parts.length > 3) return false;
  const [first = '', second, third] = parts;
  // `/data`, `/data:ro`, `SOURCE:/data`, `SOURCE:/data:ro`
  const hasSource = second?.startsWith('/') === true;
  const target = hasSource ? second : first;
  const source = hasSource ? first : undefined;
  const options = hasSource ? third : second;
  if (parts.length === 3 && !hasSource) return false;
  if (!target.startsWith('/')) return false;
  if (source !== undefined && !source.startsWith('/') && !VOLUME_NAME.test(source)) return false;
  return options === undefined || options.split(',').every(isOption);
}
