import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceFromProto, serviceToProto } from '../../src/servicedef/convert.js';
import { loadAll, loadServiceDef, writeServiceDef } from '../../src/servicedef/load.js';
import { formatServiceDef, parseServiceDef } from '../../src/servicedef/toml.js';
import { componentDef, type ServiceDef } from '../../src/servicedef/types.js';
import { ServiceDefError } from '../../src/servicedef/validate.js';
import { tempDir } from '../helpers/tmp.js';

const FULL = `
name = "wiki"
node = "node1"

[[components]]
name = "web"
image = "registry.example/wikibot:v1.2.0"
network = "mcnet"
user = "1000:1000"
restart = "unless-stopped"
ports = ["127.0.0.1:8080:8080"]
volumes = ["/srv/wiki:/data"]
cmd = ["wikibot", "serve"]
env = ["WIKIBOT_DATA=/data", "EQ=a=b"]

[[components]]
name = "backup"
image = "registry.example/wikibot-backup"
[components.env]
SCHEDULE = "daily"
`;

function problemsOf(text: string): string[] {
  try {
    parseServiceDef(text);
  } catch (error) {
    if (error instanceof ServiceDefError) return error.problems;
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

describe('service definitions', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => dir.cleanup());

  it('loads every field, with active defaulting to true and env given as a table', () => {
    const def = parseServiceDef(FULL);
    expect(def).toEqual({
      name: 'wiki',
      node: 'node1',
      active: true,
      components: [
        componentDef('web', 'registry.example/wikibot:v1.2.0', {
          network: 'mcnet',
          user: '1000:1000',
          restart: 'unless-stopped',
          ports: ['127.0.0.1:8080:8080'],
          volumes: ['/srv/wiki:/data'],
          cmd: ['wikibot', 'serve'],
          env: ['WIKIBOT_DATA=/data', 'EQ=a=b'],
        }),
        componentDef('backup', 'registry.example/wikibot-backup', { env: ['SCHEDULE=daily'] }),
      ],
    });
  });

  it('names every missing required field', () => {
    expect(problemsOf('active = true')).toEqual([
      'name is required',
      'node is required',
      'at least one [[components]] is required',
    ]);
    expect(problemsOf('name = "a"\nnode = "n"\ncomponents = []')).toEqual([
      'at least one [[components]] is required',
    ]);
    expect(problemsOf('name = "a"\nnode = "n"\n[[components]]\nnetwork = "x"')).toEqual([
      'components[0].name is required',
      'components[0].image is required',
    ]);
  });

  it('refuses duplicate component names, unknown keys and malformed values', () => {
    expect(
      problemsOf(
        'name = "a"\nnode = "n"\n[[components]]\nname = "x"\nimage = "i"\n[[components]]\nname = "x"\nimage = "j"',
      ),
    ).toEqual(['component name "x" is used twice']);
    expect(
      problemsOf('name = "a"\nnode = "n"\nimgae = 1\n[[components]]\nname = "x"\nimage = "i"\nport = []'),
    ).toEqual(['imgae is not a known key', 'components[0].port is not a known key']);
    expect(
      problemsOf(
        'name = "a b"\nnode = "n"\nactive = "yes"\n[[components]]\nname = "x"\nimage = "-i"\ncmd = "sh -c x"\nenv = ["NOVALUE"]\nrestart = "sometimes"\nports = ["--privileged"]',
      ),
    ).toEqual([
      'name must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$',
      'active must be true or false',
      'components[0].image must be an image reference without spaces',
      'components[0].restart must be one of no, always, unless-stopped, on-failure[:N]',
      'components[0].ports[0] "--privileged" must be [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]',
      'components[0].cmd must be an array of strings',
      'components[0].env[0] must be KEY=VALUE with KEY matching ^[A-Za-z_][A-Za-z0-9_]*$',
    ]);
  });

  it('accepts the port and volume forms podman takes and refuses the rest, naming the field', () => {
    const component = (ports: string[], volumes: string[]) =>
      `name = "a"\nnode = "n"\n[[components]]\nname = "x"\nimage = "i"\nports = ${JSON.stringify(ports)}\nvolumes = ${JSON.stringify(volumes)}`;
    const goodPorts = [
      '80',
      '8080:80',
      '127.0.0.1:8080:80',
      '127.0.0.1::80',
      '[::1]:8080:80',
      '53:53/udp',
      '9000-9010:9000-9010',
    ];
    const goodVolumes = [
      '/data',
      '/srv/a:/data',
      '/srv/a:/data:ro,Z',
      'named:/data',
      '/data:ro',
      'v1.db:/var/lib/db:U',
    ];
    expect(parseServiceDef(component(goodPorts, goodVolumes)).components[0]).toMatchObject({
      ports: goodPorts,
      volumes: goodVolumes,
    });
    expect(
      problemsOf(
        component(
          ['abc', '8080:80/tcpx', '70000:80', ''],
          ['data', './rel:/data', '/a:b', '/a:/b:bogus', '/a:/b:ro:x'],
        ),
      ),
    ).toEqual([
      'components[0].ports[0] "abc" must be [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]',
      'components[0].ports[1] "8080:80/tcpx" must be [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]',
      'components[0].ports[2] "70000:80" must be [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]',
      'components[0].ports[3] "" must be [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]',
      ...[0, 1, 2, 3, 4].map(
        (i) =>
          `components[0].volumes[${i}] "${['data', './rel:/data', '/a:b', '/a:/b:bogus', '/a:/b:ro:x'][i]}" must be [SOURCE:]/CONTAINER_PATH[:OPTIONS], SOURCE an absolute path or a volume name`,
      ),
    ]);
  });

  it('reports invalid TOML with the file named', () => {
    expect(() => parseServiceDef('name = "a', '/defs/a.toml')).toThrow(/\/defs\/a.toml: invalid TOML/);
  });

  it('writes TOML that loads back to the same definition', async () => {
    const def = parseServiceDef(FULL);
    const path = await writeServiceDef(dir.path, { ...def, active: false });
    expect(path).toBe(join(dir.path, 'wiki.toml'));
    expect(await loadServiceDef(path)).toEqual({ ...def, active: false });
    const text = formatServiceDef(def);
    expect(text).not.toContain('network = ""');
    expect(parseServiceDef(text)).toEqual(def);
  });

  it('converts to the wire form and back without loss', () => {
    const def = parseServiceDef(FULL);
    const wire = serviceToProto(def);
    expect(wire.components[0]?.env).toEqual(['WIKIBOT_DATA=/data', 'EQ=a=b']);
    expect(serviceFromProto(wire, 'node1')).toEqual(def);
  });

  it('LoadAll reads every definition in a directory, sorted, and names each bad file without dropping the good ones', async () => {
    const defs: ServiceDef[] = [
      { name: 'b-svc', node: 'n1', active: true, components: [componentDef('b-svc', 'img:1')] },
      { name: 'a-svc', node: 'n2', active: false, components: [componentDef('web', 'img:2')] },
    ];
    for (const def of defs) await writeServiceDef(dir.path, def);
    await writeFile(join(dir.path, 'notes.txt'), 'not a definition');
    await mkdir(join(dir.path, 'sub'));
    const clean = await loadAll(dir.path);
    expect(clean.defs.map((def) => def.name)).toEqual(['a-svc', 'b-svc']);
    expect(clean.problems).toEqual([]);

    await writeFile(join(dir.path, 'broken.toml'), 'name = "broken"\nnode = "n1"\n');
    await writeFile(join(dir.path, 'other.toml'), FULL);
    const mixed = await loadAll(dir.path);
    expect(mixed.defs.map((def) => def.name)).toEqual(['a-svc', 'b-svc']);
    expect(mixed.problems).toHaveLength(2);
    expect(mixed.problems[0]).toContain('broken.toml: at least one [[components]] is required');
    expect(mixed.problems[1]).toContain('other.toml: name "wiki" does not match the file name other.toml');
  });
});
