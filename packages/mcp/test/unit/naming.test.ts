import { describe, expect, it } from 'vitest';
import { componentOf, containerName, splitContainerName } from '../../src/runtime/naming.js';
import { imageVersion, isLocalImage } from '../../src/runtime/version.js';

describe('container naming', () => {
  it('names a container <service>-<component>, or <service> when the names match', () => {
    expect(containerName('wiki', 'web')).toBe('wiki-web');
    expect(containerName('wiki', 'wiki')).toBe('wiki');
    expect(containerName('mc-proxy', 'mc-proxy')).toBe('mc-proxy');
  });

  it('splits with known services first: mc-proxy is a service, not mc + proxy', () => {
    expect(splitContainerName('mc-proxy', ['mc', 'mc-proxy'])).toEqual({
      service: 'mc-proxy',
      component: 'mc-proxy',
    });
    expect(splitContainerName('mc-proxy-web', ['mc', 'mc-proxy'])).toEqual({
      service: 'mc-proxy',
      component: 'web',
    });
    expect(splitContainerName('mc-db', ['mc', 'mc-proxy'])).toEqual({ service: 'mc', component: 'db' });
    expect(splitContainerName('mc-proxy', ['mc'])).toEqual({ service: 'mc', component: 'proxy' });
  });

  it('splits an unknown name at its first dash, and keeps a dashless name whole', () => {
    expect(splitContainerName('blog-web-1')).toEqual({ service: 'blog', component: 'web-1' });
    expect(splitContainerName('postgres')).toEqual({ service: 'postgres', component: 'postgres' });
    expect(splitContainerName('-odd')).toEqual({ service: '-odd', component: '-odd' });
  });

  it('tells which component of a service a container is', () => {
    expect(componentOf('svc', 'svc-api')).toBe('api');
    expect(componentOf('svc', 'svc')).toBe('svc');
    expect(componentOf('svc', 'svc2-api')).toBeUndefined();
    expect(componentOf('svc', 'svc-')).toBeUndefined();
  });
});

describe('image version', () => {
  it('is the tag of the image reference', () => {
    expect(imageVersion('r/img:v1.2.0')).toBe('v1.2.0');
    expect(imageVersion('img:latest')).toBe('latest');
    expect(imageVersion('img')).toBe('');
    expect(imageVersion('registry.example:5000/team/img')).toBe('');
    expect(imageVersion('registry.example:5000/team/img:2024.1')).toBe('2024.1');
    expect(imageVersion('img@sha256:0123abcd')).toBe('');
    expect(imageVersion('img:v2@sha256:0123abcd')).toBe('v2');
  });

  it('recognizes images built on the node', () => {
    expect(isLocalImage('localhost/app:v1')).toBe(true);
    expect(isLocalImage('localhost:5000/app:v1')).toBe(false);
    expect(isLocalImage('docker.io/library/alpine')).toBe(false);
  });
});
