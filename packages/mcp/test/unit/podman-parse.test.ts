import { describe, expect, it } from 'vitest';
import {
  parseImageInspect,
  parseInspect,
  parsePs,
  parseRestartCounts,
  parseVersion,
} from '../../src/runtime/podman-parse.js';

// Shapes as podman 4 prints them.
const PS = JSON.stringify([
  {
    AutoRemove: false,
    Command: ['sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait'],
    Created: 1795256256,
    Exited: false,
    Id: '1a6b95ee9c20',
    Image: 'localhost/mcptest-busybox:v1.2.0',
    Names: ['wiki-web'],
    Ports: [{ host_ip: '127.0.0.1', container_port: 8080, host_port: 18080, range: 1, protocol: 'tcp' }],
    StartedAt: 1795256257,
    State: 'running',
    Status: 'Up 4 seconds ago',
  },
  {
    Command: null,
    Created: 1795256000,
    Id: 'a5c2b9f4f77b',
    Image: 'docker.io/library/postgres:16',
    Names: ['db'],
    StartedAt: -62135596800,
    State: 'exited',
    Status: 'Exited (137) 2 seconds ago',
  },
]);

const INSPECT = JSON.stringify([
  {
    Id: 'a5c2b9f4f77b',
    Name: 'wiki-web',
    ImageName: 'localhost/mcptest-busybox:v1',
    State: { Status: 'running', Running: true, StartedAt: '2026-11-21T10:17:39.934143766Z' },
    Config: {
      User: '1000',
      Env: ['PATH=/usr/bin:/bin', 'TERM=xterm', 'container=podman', 'FOO=bar', 'HOSTNAME=a5c2b9f4f77b'],
      Cmd: ['sleep', '1000'],
    },
    HostConfig: {
      NetworkMode: 'bridge',
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
      PortBindings: {
        '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }],
        '53/udp': [{ HostIp: '', HostPort: '5353' }],
      },
      Binds: ['/srv/wiki:/data:rw,rprivate,rbind', '/etc/wiki:/etc/wiki:ro,rprivate,rbind'],
    },
  },
]);

describe('podman JSON parsing', () => {
  it('parses ps --format json, with Command as an array and Unix-second times', () => {
    const [web, db] = parsePs(PS);
    expect(web).toMatchObject({
      id: '1a6b95ee9c20',
      name: 'wiki-web',
      image: 'localhost/mcptest-busybox:v1.2.0',
      command: ['sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait'],
      state: 'running',
      status: 'Up 4 seconds ago',
    });
    expect(web?.startedAt?.toISOString()).toBe('2026-11-21T10:17:37.000Z');
    expect(db).toMatchObject({ name: 'db', command: [], state: 'exited', startedAt: undefined });
  });

  it('reads an empty ps as no containers and refuses garbage with a clear error', () => {
    expect(parsePs('')).toEqual([]);
    expect(parsePs('[]\n')).toEqual([]);
    expect(() => parsePs('Error: something')).toThrow(/cannot parse podman ps output as JSON/);
  });

  it('parses inspect into the run options the container was created with', () => {
    expect(parseInspect(INSPECT)).toEqual({
      id: 'a5c2b9f4f77b',
      name: 'wiki-web',
      image: 'localhost/mcptest-busybox:v1',
      state: 'running',
      startedAt: new Date('2026-11-21T10:17:39.934Z'),
      network: '',
      user: '1000',
      restart: 'unless-stopped',
      ports: ['127.0.0.1:18080:8080', '5353:53/udp'],
      volumes: ['/srv/wiki:/data', '/etc/wiki:/etc/wiki:ro'],
      cmd: ['sleep', '1000'],
      env: ['PATH=/usr/bin:/bin', 'FOO=bar'],
    });
    expect(parseInspect('[]')).toBeUndefined();
  });

  it('parses image defaults and the version', () => {
    expect(parseImageInspect(JSON.stringify([{ Config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] } }]))).toEqual(
      {
        env: ['PATH=/bin'],
        cmd: ['/bin/sh'],
      },
    );
    expect(parseVersion('{"Client":{"APIVersion":"4.3.1","Version":"4.3.1"}}')).toBe('4.3.1');
  });

  it('parses restart counts, one NAME COUNT line per container, skipping anything else', () => {
    expect(parseRestartCounts('svc-web 32\nsvc-db 0\nError: no such container svc-gone\n')).toEqual(
      new Map([
        ['svc-web', 32],
        ['svc-db', 0],
      ]),
    );
  });
});
