import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceDef, writeServiceDef } from '../../src/servicedef/load.js';
import { componentDef, type ServiceDef } from '../../src/servicedef/types.js';
import { type ControlPlane, listedService, startControlPlane } from '../helpers/cli.js';
import { IdentityStub } from '../helpers/identity-stub.js';
import {
  buildBusyboxImage,
  cleanupPodman,
  containerStates,
  idleCommand,
  podman,
  podmanAvailability,
} from '../helpers/podman.js';
import { tempDir, waitFor } from '../helpers/tmp.js';

const availability = await podmanAvailability();
const title = `deploy, ps, stop, start, restart and sync with real podman${availability.ok ? '' : ` (skipped: ${availability.reason})`}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface PsJson {
  node: string;
  containers: {
    name: string;
    state: string;
    version: string;
    image: string;
    desiredState: string;
    startedAt?: string;
  }[];
}

describe.skipIf(!availability.ok)(title, () => {
  const prefix = `mcpt${randomBytes(3).toString('hex')}`;
  const image = `localhost/${prefix}-busybox:v1.2.0`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;
  let plane: ControlPlane;

  beforeAll(async () => {
    dir = await tempDir();
    await buildBusyboxImage(dir.path, image);
    identity = await new IdentityStub().start();
    identity.tokens.set('ops-token', { username: 'ops', roles: ['admin'], accountType: 'human' });
    plane = await startControlPlane({ dir: dir.path, identityUrl: identity.url, token: 'ops-token' });
  });

  afterAll(async () => {
    await plane?.close();
    await identity?.stop();
    await cleanupPodman(prefix, image);
    await dir?.cleanup();
  });

  async function define(def: Omit<ServiceDef, 'node'>): Promise<ServiceDef> {
    const full = { ...def, node: 'node1' };
    await writeServiceDef(plane.servicesDir, full);
    return full;
  }

  async function ps(): Promise<Map<string, PsJson['containers'][number]>> {
    const [node] = await plane.mcpJson<PsJson[]>('ps');
    return new Map((node?.containers ?? []).filter((c) => c.name.startsWith(prefix)).map((c) => [c.name, c]));
  }

  it('deploys a two-component service and sees both running in ps, with ports, volumes and env applied', async () => {
    const port = await freePort();
    const www = join(dir.path, 'www');
    await mkdir(www, { recursive: true });
    await writeFile(join(www, 'index.html'), 'served from the volume\n');
    const service = `${prefix}-site`;
    await define({
      name: service,
      active: true,
      components: [
        componentDef('web', image, {
          ports: [`127.0.0.1:${port}:8080`],
          volumes: [`${www}:/www:ro`],
          env: ['GREETING=hello world'],
          cmd: ['sh', '-c', "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"],
        }),
        componentDef('worker', image, { network: 'none', restart: 'no', cmd: idleCommand() }),
      ],
    });

    const deployed = await plane.mcp('deploy', service);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(
      new RegExp(`web\\s+${service}-web\\s+deployed\\s+running\\s+v1.2.0\\s+ok`),
    );
    expect(deployed.stdout).toMatch(
      new RegExp(`worker\\s+${service}-worker\\s+deployed\\s+running\\s+v1.2.0\\s+ok`),
    );

    const containers = await ps();
    expect(containers.get(`${service}-web`)).toMatchObject({
      state: 'running',
      version: 'v1.2.0',
      desiredState: 'running',
    });
    expect(containers.get(`${service}-worker`)).toMatchObject({ state: 'running', version: 'v1.2.0' });
    expect(containers.get(`${service}-web`)?.startedAt).toBeDefined();

    const body = await waitFor('httpd to answer through the published port', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/index.html`).catch(() => undefined);
      return response?.ok ? response.text() : undefined;
    });
    expect(body).toBe('served from the volume\n');
    const env = await podman('exec', `${service}-web`, 'sh', '-c', 'echo "$GREETING"');
    expect(env.trim()).toBe('hello world');

    const table = await plane.mcp('ps');
    expect(table.stdout).toMatch(/NODE\s+NAME\s+STATE\s+UPTIME\s+VERSION\s+IMAGE\s+DESIRED/);
    expect(table.stdout).toMatch(new RegExp(`node1\\s+${service}-web\\s+running\\s+\\d+s\\s+v1.2.0`));
  });

  it('deploys one component alone and leaves the other untouched; a failing component does not stop the rest', async () => {
    const service = `${prefix}-pair`;
    await define({
      name: service,
      active: true,
      components: [
        componentDef('a', image, { cmd: idleCommand() }),
        componentDef('b', image, { cmd: idleCommand() }),
      ],
    });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    const idOf = async (name: string) => (await podman('inspect', '--format', '{{.Id}}', name)).trim();
    const [aBefore, bBefore] = [await idOf(`${service}-a`), await idOf(`${service}-b`)];
    const one = await plane.mcp('deploy', `${service}/b`);
    expect(one.code).toBe(0);
    expect(await idOf(`${service}-a`)).toBe(aBefore);
    expect(await idOf(`${service}-b`)).not.toBe(bBefore);

    await define({
      name: service,
      active: true,
      components: [
        componentDef('a', `localhost/${prefix}-missing:v9`, { cmd: idleCommand() }),
        componentDef('b', image, { cmd: idleCommand() }),
      ],
    });
    const partial = await plane.mcp('deploy', service);
    expect(partial.code).toBe(1);
    // The image check fails before the old container is touched, so it keeps running.
    expect(partial.stdout).toMatch(/a\s+\S+-a\s+-\s+running\s+v9\s+FAILED: image \S+ is not on this node/);
    expect(partial.stdout).toMatch(/b\s+\S+-b\s+deployed\s+running\s+v1.2.0\s+ok/);
    await define({
      name: service,
      active: true,
      components: [
        componentDef('a', image, { cmd: idleCommand() }),
        componentDef('b', image, { cmd: idleCommand() }),
      ],
    });
    expect((await plane.mcp('deploy', `${service}/a`)).code).toBe(0);

    await define({
      name: service,
      active: true,
      components: [componentDef('b', image, { cmd: idleCommand() })],
    });
    const shrunk = await plane.mcp('deploy', service);
    expect(shrunk.code).toBe(0);
    expect(shrunk.stdout).toMatch(/a\s+\S+-a\s+removed\s+missing/);
    expect([...(await containerStates(service)).keys()]).toEqual([`${service}-b`]);
    const [listed] =
      await plane.mcpJson<{ services: { name: string; components: { spec: { name: string } }[] }[] }[]>(
        'list',
      );
    expect(listed?.services.find((s) => s.name === service)?.components.map((c) => c.spec.name)).toEqual([
      'b',
    ]);
  });

  it('stop and start flip active in the service file and the containers; restart changes neither', async () => {
    const service = `${prefix}-flip`;
    const path = join(plane.servicesDir, `${service}.toml`);
    await define({
      name: service,
      active: true,
      components: [
        componentDef('app', image, { cmd: idleCommand() }),
        componentDef(service, image, { cmd: idleCommand() }),
      ],
    });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    const names = [`${service}-app`, service];

    const stopped = await plane.mcp('stop', service);
    expect(stopped.code).toBe(0);
    expect((await loadServiceDef(path)).active).toBe(false);
    const afterStop = await containerStates(service);
    for (const name of names) expect(afterStop.get(name)).toBe('exited');
    const record = await listedService(plane, service);
    expect(record?.active).toBe(false);
    expect(record?.components.map((c) => c.desiredState)).toEqual(['stopped', 'stopped']);

    const started = await plane.mcp('start', service);
    expect(started.code).toBe(0);
    expect((await loadServiceDef(path)).active).toBe(true);
    const afterStart = await containerStates(service);
    for (const name of names) expect(afterStart.get(name)).toBe('running');

    const startedAt = async () =>
      (await podman('inspect', '--format', '{{.State.StartedAt}}', `${service}-app`)).trim();
    const before = await startedAt();
    const fileBefore = await readFile(path, 'utf8');
    const restarted = await plane.mcp('restart', service);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toMatch(/app\s+\S+-app\s+restarted\s+running/);
    expect(await startedAt()).not.toBe(before);
    expect(await readFile(path, 'utf8')).toBe(fileBefore);
    expect((await containerStates(service)).get(`${service}-app`)).toBe('running');
  });

  it('sync converges every definition, stops inactive services, records unmanaged containers as ignore, and is idempotent', async () => {
    const live = `${prefix}-live`;
    const idle = `${prefix}-idle`;
    await define({
      name: live,
      active: true,
      components: [componentDef('app', image, { cmd: idleCommand() })],
    });
    await define({
      name: idle,
      active: false,
      components: [componentDef('app', image, { cmd: idleCommand() })],
    });
    await podman('run', '-d', '--name', `${prefix}stray-box`, '--network', 'none', image, ...idleCommand());

    const first = await plane.mcp('sync');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${live}\\s+app\\s+created\\s+deployed, running`));
    expect(first.stdout).toMatch(new RegExp(`${idle}\\s+app\\s+created\\s+inactive: recorded as stopped`));
    expect(first.stdout).toMatch(
      new RegExp(`${prefix}stray\\s+box\\s+ignored\\s+unmanaged container ${prefix}stray-box`),
    );
    expect((await containerStates(live)).get(`${live}-app`)).toBe('running');
    expect((await containerStates(idle)).has(`${idle}-app`)).toBe(false);

    const [node] = await plane.mcpJson<PsJson[]>('ps');
    expect(node?.containers.find((c) => c.name === `${prefix}stray-box`)?.desiredState).toBe('ignore');

    await podman('stop', '--time', '0', `${live}-app`);
    const second =
      await plane.mcpJson<{ node: string; changes: { service: string; change: string }[] }[]>('sync');
    const changes = second[0]?.changes.filter((c) => c.service.startsWith(prefix)) ?? [];
    expect(changes.map((c) => [c.service, c.change])).toEqual([[live, 'started']]);
    const third = await plane.mcp('sync');
    expect(third.stdout.split('\n').filter((line) => line.includes(prefix))).toEqual([]);
    expect((await containerStates(`${prefix}stray`)).get(`${prefix}stray-box`)).toBe('running');
  });
  it('sync deploys the valid definitions and reports an invalid file instead of refusing them all', async () => {
    const good = `${prefix}-good`;
    await define({
      name: good,
      active: true,
      components: [componentDef('app', image, { cmd: idleCommand() })],
    });
    const bad = join(plane.servicesDir, `${prefix}-bad.toml`);
    await writeFile(bad, `name = "${prefix}-bad"\nnode = "node1"\n`);

    const result = await plane.mcp('sync');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`skipped: ${bad}: at least one [[components]] is required`);
    expect(result.stdout).toMatch(new RegExp(`${good}\\s+app\\s+created\\s+deployed, running`));
    expect((await containerStates(good)).get(`${good}-app`)).toBe('running');
    await rm(bad);
  });
  it('stop wins against a crash-looping container with restart = always and reports what podman shows', async () => {
    const service = `${prefix}-crashy`;
    const container = `${service}-loop`;
    await define({
      name: service,
      active: true,
      components: [componentDef('loop', image, { restart: 'always', cmd: ['sh', '-c', 'exit 3'] })],
    });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    const inspect = async (format: string) => (await podman('inspect', '--format', format, container)).trim();
    for (let round = 0; round < 3; round++) {
      await waitFor('podman to restart the crashing container', async () =>
        Number(await inspect('{{.RestartCount}}')) > 0 ? true : undefined,
      );
      const stopped = await plane.mcp('stop', service);
      expect(stopped.code, stopped.stdout).toBe(0);
      expect(stopped.stdout).toMatch(new RegExp(`loop\\s+${container}\\s+stopped\\s+exited\\s+v1.2.0\\s+ok`));
      // "exited" is podman's state for a container cleaned up after it stopped: no restart is pending.
      expect(await inspect('{{.State.Status}}')).toBe('exited');
      expect((await plane.mcp('start', service)).code).toBe(0);
    }
    expect((await plane.mcp('stop', service)).code).toBe(0);
  });
  it('service remove stops and removes the containers and forgets the service; files go only with --purge', async () => {
    const service = `${prefix}-gone`;
    const components = [
      componentDef('app', image, { cmd: idleCommand() }),
      componentDef('db', image, { cmd: idleCommand() }),
    ];
    const definition = join(plane.servicesDir, `${service}.toml`);
    const files = join(dir.path, 'srv', service);
    await define({ name: service, active: true, components });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    const local = join(dir.path, 'gone.conf');
    await writeFile(local, 'kept\n');
    expect((await plane.mcp('push', local, service, 'gone.conf')).code).toBe(0);

    const removed = await plane.mcp('service', 'remove', service);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(new RegExp(`app\\s+${service}-app\\s+removed\\s+missing`));
    expect(removed.stdout).toContain(`node node1 forgot ${service}`);
    expect([...(await containerStates(service)).keys()]).toEqual([]);
    expect(await listedService(plane, service)).toBeUndefined();
    expect(await readFile(join(files, 'gone.conf'), 'utf8')).toBe('kept\n');
    expect(existsSync(definition)).toBe(false);
    expect(existsSync(join(plane.servicesDir, `.${service}.removed.toml`))).toBe(true);
    expect((await plane.mcp('sync')).stdout).not.toContain(service);

    await define({ name: service, active: true, components });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    const purged = await plane.mcp('service', 'remove', service, '--purge');
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toContain(`deleted node1:${files}`);
    expect(existsSync(files)).toBe(false);
    expect(existsSync(definition)).toBe(false);
    expect([...(await containerStates(service)).keys()]).toEqual([]);
    const again = await plane.mcp('service', 'remove', service);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`NOT_FOUND: service "${service}" is not deployed on this node`);
  });
});
