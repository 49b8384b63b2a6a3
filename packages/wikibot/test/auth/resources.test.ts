import { describe, expect, it } from 'vitest';
import { wikiAudiences, wikiOfResource } from '../../src/auth/resources.js';

/** Which wiki an OAuth resource indicator names, in path mode and in host mode (SPEC §8). */
const base = 'https://wiki.example.com:8443';
const pathMode = { baseUrl: base };
const hostMode = { baseUrl: base, wikiDomain: 'wikis.example.com' };

describe('wikiOfResource', () => {
  it('maps the path-mode URLs of a wiki, its MCP endpoint and its API in either mode', () => {
    for (const site of [pathMode, hostMode]) {
      expect(wikiOfResource(site, `${base}/w/main`)).toBe('main');
      expect(wikiOfResource(site, `${base}/w/main/mcp`)).toBe('main');
      expect(wikiOfResource(site, `${base}/w/main/api/v1`)).toBe('main');
      expect(wikiOfResource(site, `${base}/w/main/other`)).toBeNull();
    }
  });

  it('maps a wiki host’s URLs in host mode only', () => {
    const host = 'https://main.wikis.example.com:8443';
    for (const door of ['', '/mcp', '/api/v1'])
      expect(wikiOfResource(hostMode, `${host}${door}`)).toBe('main');
    expect(wikiOfResource(pathMode, `${host}/mcp`)).toBeNull();
  });

  it('refuses look-alikes: another port or scheme, a deeper host, a trailing slash, a bad slug', () => {
    for (const resource of [
      'https://main.wikis.example.com/mcp',
      'http://main.wikis.example.com:8443/mcp',
      'https://a.main.wikis.example.com:8443/mcp',
      'https://main.wikis.example.com:8443/',
      'https://main.wikis.example.com:8443/mcp?x=1',
      'https://Bad_Slug.wikis.example.com:8443/mcp',
      'https://main.wikis.example.com.evil.test:8443/mcp',
    ])
      expect(wikiOfResource(hostMode, resource), resource).toBeNull();
  });

  it('accepts a token for a wiki under either form of its URL, never another wiki’s', () => {
    const audiences = wikiAudiences(hostMode, 'main');
    expect(audiences).toContain(`${base}/w/main/mcp`);
    expect(audiences).toContain('https://main.wikis.example.com:8443/mcp');
    expect(audiences.some((a) => a.includes('other'))).toBe(false);
  });
});
