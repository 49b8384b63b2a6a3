import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMain } from '../../src/agent/main.js';
import type { MonitorConfig } from '../../src/config/agent.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { recover } from '../../src/monitor/recover.js';
import { loadServiceDef, writeServiceDef } from '../../src/servicedef/load.js';
import { componentDef } from '../../src/servicedef/types.js';
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
const title = `monitor, alerts, recover and adopt with real podman${availability.ok ? '' : ` (skipped: ${availability.reason})`}`;

const MINUTE = 60_000;

/** Appends the MCP_* environment it was run with, as one JSON line, to the file named by argv[2]. */
const ALERT_SCRIPT = `
const { appendFileSync } = require('node:fs');
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('MCP_')));
appendFileSync(process.argv[2], JSON.stringify(env) + '\\n');
`;

interface StatusJson {
  node: string;
  drift: { service: string; component: string; desiredState: string; observedState: string }[];
  flapping: { service: string; component: string; transitions: number; restarts: number }[];
  events: {
    service: string;
    component: string;
    fromState: string;
    toState: string;
    cause: string;
    detail: string;
  }[];
}

describe.skipIf(!availability.ok)(title, () => {
  const prefix = `mcpm${randomBytes(3).toString('hex')}`;
  const image = `localhost/${prefix}-busybox:v2.0.1`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;
  let plane: ControlPlane;
  let alertLog: string;
  let clock: number;
  let monitor: Monitor;
  let monitorConfig: MonitorConfig;

  async function alerts(): Promise<Record<string, string>[]> {
    const text = await readFile(alertLog, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, string>)
      .filter((env) => env.MCP_SERVICE?.startsWith(prefix));
  }

  async function deploy(service: string, components: string[]): Promise<void> {
    await writeServiceDef(plane.servicesDir, {
      name: service,
      node: 'edge-1',
      active: true,
      components: components.map((name) => componentDef(name, image, { cmd: idleCommand() })),
    });
    const result = await plane.mcp('deploy', service);
    expect(result.code, result.stderr).toBe(0);
  }

  beforeAll(async () => {
    dir = await tempDir();
    await buildBusyboxImage(dir.path, image);
    const script = join(dir.path, 'record-alert.cjs');
    await writeFile(script, ALERT_SCRIPT);
    alertLog = join(dir.path, 'alerts.jsonl');
    identity = await new IdentityStub().start();
    identity.tokens.set('ops-token', { username: 'ops', roles: ['admin'], accountType: 'human' });
    plane = await startControlPlane({
      dir: dir.path,
      identityUrl: identity.url,
      token: 'ops-token',
      nodeName: 'edge-1',
      alertCommand: [process.execPath, script, alertLog],
    });
    clock = Date.now();
    monitorConfig = {
      ...plane.agent.config.monitor,
      cooldownMs: 15 * MINUTE,
      flapWindowMs: 10 * MINUTE,
      flapThreshold: 3,
    };
    monitor = new Monitor(plane.agent.agent.ctx, monitorConfig, () => clock);
  });

  afterAll(async () => {
    await monitor?.stop();
    await plane?.close();
    await identity?.stop();
    await cleanupPodman(prefix, image);
    await dir?.cleanup();
  });

  it('records a killed container as a transition, reports drift in status, and alerts once per cooldown', async () => {
    const service = `${prefix}-api`;
    await deploy(service, ['app', 'cache']);
    const settle = await monitor.tick();
    expect(settle.alerts.filter((a) => a.service === service)).toEqual([]);

    await podman('kill', `${service}-app`);
    await podman('wait', `${service}-app`);
    clock += MINUTE;
    const report = await monitor.tick();
    expect(report.transitions.map((e) => [e.service, e.component, e.from, e.to])).toEqual([
      [service, 'app', 'running', 'exited'],
    ]);
    expect(report.alerts.map((a) => [a.type, a.component])).toEqual([['drift', 'app']]);
    expect(await alerts()).toEqual([
      {
        MCP_ALERT_TYPE: 'drift',
        MCP_SERVICE: service,
        MCP_COMPONENT: 'app',
        MCP_NODE: 'edge-1',
        MCP_DESIRED_STATE: 'running',
        MCP_OBSERVED_STATE: 'exited',
      },
    ]);

    const [status] = await plane.mcpJson<StatusJson[]>('status', service);
    expect(status?.drift).toEqual([
      { service, component: 'app', desiredState: 'running', observedState: 'exited' },
    ]);
    expect(
      status?.events.filter((e) => e.cause === 'observed').map((e) => [e.component, e.fromState, e.toState]),
    ).toEqual([['app', 'running', 'exited']]);
    const human = await plane.mcp('status', service);
    expect(human.stdout).toMatch(/app\s+running\s+exited\s+v2.0.1\s+DRIFT/);
    expect(human.stdout).toContain(`${service}/app: desired running, observed exited`);

    clock += 5 * MINUTE;
    expect((await monitor.tick()).alerts).toEqual([]);
    expect(await alerts()).toHaveLength(1);
    clock += 10 * MINUTE;
    expect((await monitor.tick()).alerts.map((a) => a.type)).toEqual(['drift']);
    expect(await alerts()).toHaveLength(2);

    expect((await plane.mcp('start', service)).code).toBe(0);
    clock += MINUTE;
    const healed = await monitor.tick();
    expect(healed.transitions).toEqual([]);
    expect(healed.alerts).toEqual([]);
    const [after] = await plane.mcpJson<StatusJson[]>('status', service);
    expect(after?.drift).toEqual([]);
    // The monitor runs on the test's clock and operations on the real one, so compare without order.
    const appEvents = after?.events
      .filter((e) => e.component === 'app')
      .map((e) => [e.fromState, e.toState, e.cause]);
    expect(appEvents).toHaveLength(3);
    expect(appEvents).toEqual(
      expect.arrayContaining([
        ['unknown', 'running', 'operation'],
        ['running', 'exited', 'observed'],
        ['exited', 'running', 'operation'],
      ]),
    );
  });

  it('raises a flap alert after more than 3 transitions within 10 minutes', async () => {
    const service = `${prefix}-flappy`;
    await deploy(service, ['svc']);
    await monitor.tick();
    const before = (await alerts()).length;
    for (let cycle = 0; cycle < 2; cycle++) {
      await podman('kill', `${service}-svc`);
      await podman('wait', `${service}-svc`);
      clock += 30_000;
      await monitor.tick();
      await podman('start', `${service}-svc`);
      clock += 30_000;
      await monitor.tick();
    }
    const raised = (await alerts()).slice(before);
    expect(raised.filter((env) => env.MCP_ALERT_TYPE === 'flap')).toEqual([
      {
        MCP_ALERT_TYPE: 'flap',
        MCP_SERVICE: service,
        MCP_COMPONENT: 'svc',
        MCP_NODE: 'edge-1',
        MCP_DESIRED_STATE: 'running',
        MCP_OBSERVED_STATE: 'running',
      },
    ]);
    expect(raised.filter((env) => env.MCP_ALERT_TYPE === 'drift')).toHaveLength(1);
  });

  it('runs every interval on its own and stops cleanly, finishing the pass in progress', async () => {
    const looping = new Monitor(plane.agent.agent.ctx, {
      ...plane.agent.config.monitor,
      intervalMs: 20,
      alertCommand: [],
    });
    looping.start();
    await waitFor('two monitor passes', async () => (looping.passes >= 2 ? true : undefined));
    const stopping = looping.stop();
    expect(looping.running).toBe(false);
    await stopping;
    const after = looping.passes;
    await looping.tick();
    expect(looping.passes).toBe(after);
    await looping.stop();
  });

  it('prunes events older than the retention', async () => {
    const { registry } = plane.agent.agent.ctx;
    const service = `${prefix}-api`;
    registry.recordEvent(
      service,
      'app',
      'running',
      'exited',
      'observed',
      new Date(clock - 31 * 24 * 60 * MINUTE),
    );
    const count = registry.listEvents({ service }).length;
    const report = await monitor.tick();
    expect(report.pruned).toBe(1);
    expect(registry.listEvents({ service })).toHaveLength(count - 1);
  });

  it('recover recreates a removed container from the stored spec and starts a stopped one', async () => {
    const service = `${prefix}-heal`;
    await deploy(service, ['gone', 'halted']);
    await podman('rm', '--force', '--time', '0', `${service}-gone`);
    await podman('stop', '--time', '0', `${service}-halted`);
    const results = await recover(plane.agent.agent.ctx);
    const mine = results.filter((r) => r.container.startsWith(service));
    expect(mine.map((r) => [r.component, r.action, r.observed, r.ok])).toEqual([
      ['gone', 'recreated', 'running', true],
      ['halted', 'started', 'running', true],
    ]);
    const states = await containerStates(service);
    expect(states.get(`${service}-gone`)).toBe('running');
    expect(states.get(`${service}-halted`)).toBe('running');
    const args = JSON.parse(await podman('inspect', '--format', '{{json .Config.Cmd}}', `${service}-gone`));
    expect(args).toEqual(idleCommand());
  });

  it('mcp-agent recover does the same from the command line', async () => {
    const service = `${prefix}-cli`;
    await deploy(service, ['one']);
    await podman('rm', '--force', '--time', '0', `${service}-one`);
    const code = await agentMain(['node', 'mcp-agent', 'recover', '--config', plane.agent.config.path]);
    expect(code).toBe(0);
    expect((await containerStates(service)).get(`${service}-one`)).toBe('running');
  });

  it('adopt takes over pre-existing <service>-* containers and export writes a definition that redeploys', async () => {
    const service = `${prefix}-legacy`;
    await podman(
      'run',
      '-d',
      '--name',
      `${service}-api`,
      '--network',
      'none',
      '-e',
      'MODE=legacy',
      '-v',
      `${dir.path}:/data:ro`,
      image,
      ...idleCommand(),
    );
    await podman('run', '-d', '--name', `${service}-jobs`, '--network', 'none', image, ...idleCommand());
    await podman('stop', '--time', '0', `${service}-jobs`);
    await podman('run', '-d', '--name', `${service}x-other`, '--network', 'none', image, ...idleCommand());

    const adopted = await plane.mcpJson<{
      adopted: { container: string; component: string; observedState: string }[];
    }>('adopt', service);
    expect(adopted.adopted.map((a) => [a.container, a.component, a.observedState])).toEqual([
      [`${service}-api`, 'api', 'running'],
      [`${service}-jobs`, 'jobs', 'exited'],
    ]);

    const exported = join(dir.path, `${service}.toml`);
    expect((await plane.mcp('service', 'export', service, '-o', exported)).code).toBe(0);
    const def = await loadServiceDef(exported);
    expect(def).toEqual({
      name: service,
      node: 'edge-1',
      active: true,
      components: [
        componentDef('api', image, {
          network: 'none',
          volumes: [`${dir.path}:/data:ro`],
          cmd: idleCommand(),
          env: ['MODE=legacy'],
        }),
        componentDef('jobs', image, { network: 'none', cmd: idleCommand() }),
      ],
    });

    clock += MINUTE;
    const report = await monitor.tick();
    expect(report.alerts.filter((a) => a.service === service)).toEqual([]);

    await writeServiceDef(plane.servicesDir, def);
    const redeployed = await plane.mcp('deploy', service);
    expect(redeployed.code).toBe(0);
    const states = await containerStates(service);
    expect(states.get(`${service}-api`)).toBe('running');
    expect(states.get(`${service}-jobs`)).toBe('running');
    const env = await podman('exec', `${service}-api`, 'sh', '-c', 'echo "$MODE"');
    expect(env.trim()).toBe('legacy');
    expect((await containerStates(`${service}x`)).get(`${service}x-other`)).toBe('running');
  });
  it('adopt keeps a stopped service stopped: recorded inactive, exported inactive, not started by deploy', async () => {
    const service = `${prefix}-dormant`;
    await podman('run', '-d', '--name', `${service}-db`, '--network', 'none', image, ...idleCommand());
    await podman('stop', '--time', '0', `${service}-db`);

    const adopted = await plane.mcp('adopt', service);
    expect(adopted.code, adopted.stderr).toBe(0);
    const record = await listedService(plane, service);
    expect(record?.active).toBe(false);
    expect(record?.components.map((c) => c.desiredState)).toEqual(['stopped']);

    const exported = join(dir.path, `${service}.toml`);
    expect((await plane.mcp('service', 'export', service, '-o', exported)).code).toBe(0);
    const def = await loadServiceDef(exported);
    expect(def.active).toBe(false);
    await writeServiceDef(plane.servicesDir, def);
    const deployed = await plane.mcp('deploy', service);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect((await containerStates(service)).get(`${service}-db`)).not.toBe('running');
    clock += MINUTE;
    const report = await monitor.tick();
    expect(report.alerts.filter((a) => a.service === service)).toEqual([]);
  });
  it('keeps alert cooldowns across an agent restart and per drift direction; a stopped service never flaps', async () => {
    const service = `${prefix}-calm`;
    const container = `${service}-app`;
    await deploy(service, ['app']);
    await monitor.tick();
    const mine = (report: { alerts: { service: string; type: string; desired: string }[] }) =>
      report.alerts.filter((a) => a.service === service).map((a) => `${a.type}:${a.desired}`);

    await podman('kill', container);
    await podman('wait', container);
    clock += MINUTE;
    expect(mine(await monitor.tick())).toEqual(['drift:running']);
    // The agent restarts: a new monitor over the same registry still knows the alert fired.
    const restarted = new Monitor(plane.agent.agent.ctx, monitorConfig, () => clock);
    clock += MINUTE;
    expect(mine(await restarted.tick())).toEqual([]);

    // Stopped on purpose, then started by hand: drift in the other direction alerts at once.
    expect((await plane.mcp('stop', service)).code).toBe(0);
    await podman('start', container);
    clock += MINUTE;
    expect(mine(await restarted.tick())).toEqual(['drift:stopped']);
    // Its ups and downs while it is meant to be stopped are not flapping.
    for (let cycle = 0; cycle < 2; cycle++) {
      await podman('kill', container);
      await podman('wait', container);
      clock += 30_000;
      expect(mine(await restarted.tick())).toEqual([]);
      await podman('start', container);
      clock += 30_000;
      expect(mine(await restarted.tick())).toEqual([]);
    }
    await podman('stop', '--time', '0', container);
  });

  it('sees flapping from podman restart counts, between two looks, in mcp status and alerts', async () => {
    const service = `${prefix}-crashloop`;
    const container = `${service}-app`;
    await writeServiceDef(plane.servicesDir, {
      name: service,
      node: 'edge-1',
      active: true,
      components: [componentDef('app', image, { restart: 'always', cmd: ['sh', '-c', 'exit 3'] })],
    });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    clock += MINUTE;
    const flaps = (report: { alerts: { service: string; type: string }[] }) =>
      report.alerts.filter((a) => a.service === service && a.type === 'flap');
    // A fast crash loop may already count as flapping at this first look; then the next look is
    // within the alert's cooldown. Either way the alert fires once.
    const first = flaps(await monitor.tick());
    // Restarts podman makes after this look are counted at the next: five more whatever came before.
    const restartCount = async () =>
      Number((await podman('inspect', '--format', '{{.RestartCount}}', container)).trim());
    const seen = await restartCount();
    await waitFor('podman to restart the container five more times', async () =>
      (await restartCount()) >= seen + 5 ? true : undefined,
    );
    const human = await plane.mcp('status', service);
    expect(human.stdout).toMatch(/app\s+running\s+\S+\s+v2.0.1\s+(DRIFT )?FLAPPING/);
    expect(human.stdout).toMatch(
      new RegExp(`${service}/app: \\d+ restarts by podman and \\d+ state changes in the last 10m0s`),
    );

    clock += MINUTE;
    expect([...first, ...flaps(await monitor.tick())]).toHaveLength(1);
    const [status] = await plane.mcpJson<StatusJson[]>('status', service);
    expect(status?.flapping[0]?.restarts).toBeGreaterThanOrEqual(5);
    expect((await plane.mcp('stop', service)).code).toBe(0);
  });

  it('image updates and restarts leave events in the history, saying what was done', async () => {
    const service = `${prefix}-history`;
    const next = image.replace(':v2.0.1', ':v2.1.0');
    await podman('tag', image, next);
    await deploy(service, ['app']);
    await writeServiceDef(plane.servicesDir, {
      name: service,
      node: 'edge-1',
      active: true,
      components: [componentDef('app', next, { cmd: idleCommand() })],
    });
    expect((await plane.mcp('deploy', service)).code).toBe(0);
    expect((await plane.mcp('restart', service)).code).toBe(0);
    const [status] = await plane.mcpJson<StatusJson[]>('status', service);
    expect(status?.events.map((e) => [e.fromState, e.toState, e.cause, e.detail])).toEqual([
      ['unknown', 'running', 'operation', `deployed ${image}`],
      ['running', 'running', 'operation', `image ${image} → ${next}`],
      ['running', 'running', 'operation', 'restarted'],
    ]);
    const human = await plane.mcp('status', service);
    expect(human.stdout).toMatch(/TIME\s+SERVICE\s+COMPONENT\s+FROM\s+TO\s+CAUSE\s+DETAIL/);
    expect(human.stdout).toMatch(/running\s+running\s+operation\s+restarted/);
    await podman('rmi', '--force', next).catch(() => undefined);
  });
});
