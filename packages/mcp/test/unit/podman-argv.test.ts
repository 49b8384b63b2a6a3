import { describe, expect, it } from 'vitest';
import {
  inspectArgs,
  psArgs,
  pullArgs,
  removeArgs,
  restartArgs,
  restartCountArgs,
  runArgs,
  startArgs,
  stopArgs,
} from '../../src/runtime/podman-argv.js';
import { componentDef } from '../../src/servicedef/types.js';

describe('podman argv builders', () => {
  it('builds run argv from every spec field, in the documented order', () => {
    const spec = componentDef('web', 'registry.example/wiki:v1.2.0', {
      network: 'mcnet',
      user: '1000:1000',
      restart: 'unless-stopped',
      ports: ['127.0.0.1:8080:8080', '8443:443/udp'],
      volumes: ['/srv/wiki:/data', '/etc/wiki:/etc/wiki:ro'],
      cmd: ['wikibot', 'serve', '--port', '8080'],
      env: ['WIKIBOT_DATA=/data', 'GREETING=hello world; rm -rf /'],
    });
    expect(runArgs('wiki-web', spec)).toEqual([
      'run',
      '-d',
      '--name',
      'wiki-web',
      '--network',
      'mcnet',
      '--user',
      '1000:1000',
      '--restart',
      'unless-stopped',
      '-p',
      '127.0.0.1:8080:8080',
      '-p',
      '8443:443/udp',
      '-v',
      '/srv/wiki:/data',
      '-v',
      '/etc/wiki:/etc/wiki:ro',
      '-e',
      'WIKIBOT_DATA=/data',
      '-e',
      'GREETING=hello world; rm -rf /',
      'registry.example/wiki:v1.2.0',
      'wikibot',
      'serve',
      '--port',
      '8080',
    ]);
  });

  it('leaves out options whose fields are empty', () => {
    expect(runArgs('db', componentDef('db', 'postgres:16'))).toEqual([
      'run',
      '-d',
      '--name',
      'db',
      'postgres:16',
    ]);
  });

  it('keeps command arguments after the image, so they never become podman options', () => {
    const argv = runArgs('x', componentDef('x', 'img', { cmd: ['--privileged', '-v', '/:/host'] }));
    expect(argv.slice(argv.indexOf('img'))).toEqual(['img', '--privileged', '-v', '/:/host']);
  });

  it('builds the lifecycle and query argv', () => {
    expect(pullArgs('img:1')).toEqual(['pull', 'img:1']);
    expect(stopArgs('svc-web')).toEqual(['stop', '--ignore', 'svc-web']);
    expect(removeArgs('svc-web')).toEqual(['rm', '--force', '--ignore', 'svc-web']);
    expect(startArgs('svc-web')).toEqual(['start', 'svc-web']);
    expect(restartArgs('svc-web')).toEqual(['restart', 'svc-web']);
    expect(psArgs()).toEqual(['ps', '--all', '--format', 'json']);
    expect(inspectArgs('svc-web')).toEqual(['container', 'inspect', 'svc-web']);
    expect(restartCountArgs(['a', 'b'])).toEqual([
      'container',
      'inspect',
      '--format',
      '{{.Name}} {{.RestartCount}}',
      'a',
      'b',
    ]);
  });
});
