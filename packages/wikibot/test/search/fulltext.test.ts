import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect } from '../mcp/support.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { pageUrl } from './support.js';

let server: TestServer;
let token: string;
const search = async (query: string) =>
  (await server.call('GET', `/w/main/api/v1/search${query}`, { token })).json;

/** A page full of Markdown a snippet must not show. */
const MARKDOWN = `---
category: design
tags: [alpha]
---
# Prototype notes

| Part | State |
| --- | --- |
| **engine** | done |

We built a **prototype** of the [[Scheduler|Projects/Scheduler]] with \`cron\` and [docs](https://example.com/d).
`;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token(['wiki:read', 'wiki:write']);
  await server.call('PUT', pageUrl('Design/Prototype'), { token, body: { content: MARKDOWN } });
  for (let i = 0; i < 60; i++) {
    const content = `# Widget ${i}\n\nThe widget number ${i} ${'widget '.repeat(i % 7)}is here.`;
    await server.call('PUT', pageUrl(`Widgets/W${i}`), { token, body: { content } });
  }
  await server.call('PUT', pageUrl('Cli'), {
    token,
    body: { content: 'The command line tool reads a line per command.' },
  });
});

afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('GET /search', () => {
  it('counts every match in total while limit and offset page through them', async () => {
    const first = await search('?q=widget&limit=25');
    expect(first.total).toBe(60);
    expect(first.results).toHaveLength(25);
    const rest = await search('?q=widget&limit=25&offset=50');
    expect(rest.total).toBe(60);
    expect(rest.results).toHaveLength(10);
    const all = [first, await search('?q=widget&limit=25&offset=25'), rest].flatMap((a) =>
      a.results.map((r: { path: string }) => r.path),
    );
    expect(new Set(all).size).toBe(60);
  });

  it('matches the last word as a prefix; phrases and explicit prefixes still work', async () => {
    expect((await search('?q=protot')).results.map((r: { path: string }) => r.path)).toEqual([
      'Design/Prototype',
    ]);
    expect((await search('?q=protot%20notes')).total).toBe(0); // only the last word is a prefix
    expect((await search('?q=%22command%20line%22')).total).toBe(1);
    expect((await search('?q=%22line%20command%22')).total).toBe(0);
    expect((await search('?q=wid*%20number')).total).toBe(60);
  });

  it('shows plain text with the hits marked, never the Markdown', async () => {
    const [hit] = (await search('?q=prototype')).results;
    expect(hit.snippet).toBe(
      '**Prototype** notes Part State engine done We built a **prototype** of the Scheduler with cron and docs.',
    );
    const phrase = (await search('?q=%22command%20line%22')).results[0];
    expect(phrase.snippet).toBe('The **command line** tool reads a line per command.');
  });

  it('refuses what would cost too much with a 422 naming the limit', async () => {
    const refused = async (query: string) => {
      const res = await server.call('GET', `/w/main/api/v1/search${query}`, { token });
      expect(res.status).toBe(422);
      return res.json.error;
    };
    const eleven = Array.from({ length: 11 }, (_, i) => `w${i}`).join('%20');
    expect(await refused(`?q=${eleven}`)).toBe('Search query too long: at most 10 terms');
    expect(await refused(`?q=${'x'.repeat(501)}`)).toBe('Search query too long: at most 500 characters');
    expect(await refused('?q=wi*')).toBe('Search prefix too short: at least 3 characters before *');
    expect(await refused('?q=widget&limit=101')).toBe('limit must be at most 100 for search');
    // Repeated words count once, and syntax never fails.
    expect((await search(`?q=${Array(40).fill('widget').join('%20')}`)).total).toBe(60);
    expect((await search(`?q=${encodeURIComponent('(-widget) ^ : " *')}`)).total).toBe(60);
  });
});

describe('the same rules in MCP search_notes and the web search page', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(server, 'modern', token);
  });
  afterAll(async () => {
    await client.close();
  });

  it('search_notes counts every match and shows plain snippets', async () => {
    const widgets = await call(client, 'search_notes', { query: 'widget' });
    expect(widgets.structured).toMatchObject({ total: 60 });
    expect(widgets.text.split('\n')[0]).toBe('60 results for "widget":');
    const { text } = await call(client, 'search_notes', { query: 'protot' });
    expect(text.split('\n')[3]).toBe(
      '   **Prototype** notes Part State engine done We built a **prototype** of the Scheduler with cron and docs.',
    );
  });

  it('the web page marks the hits in escaped text and pages through all matches', async () => {
    const reply = await fetch(`${server.url}/w/main/-/search?q=protot`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const html = await reply.text();
    expect(html).toContain('We built a <mark>prototype</mark> of the Scheduler');
    expect(html).not.toContain('[[');
    const widgets = await (
      await fetch(`${server.url}/w/main/-/search?q=widget&page=2`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    expect(widgets).toContain('60 pages found; showing 51–60.');
    expect(widgets).toContain('?q=widget&amp;page=1');
  });
});

describe('search limits from the configuration', () => {
  it('takes [search] settings, here from the environment', async () => {
    const strict = await startTestServer({
      env: {
        WIKIBOT_SEARCH_MAX_TERMS: '2',
        WIKIBOT_SEARCH_MAX_QUERY_CHARS: '20',
        WIKIBOT_SEARCH_MAX_RESULTS: '5',
      },
    });
    try {
      const reader = await strict.token(['wiki:read']);
      const ask = (query: string) => strict.call('GET', `/w/main/api/v1/search${query}`, { token: reader });
      expect((await ask('?q=one%20two%20three')).json.error).toBe('Search query too long: at most 2 terms');
      expect((await ask(`?q=${'y'.repeat(21)}`)).json.error).toBe(
        'Search query too long: at most 20 characters',
      );
      expect((await ask('?q=one&limit=6')).json.error).toBe('limit must be at most 5 for search');
      expect((await ask('?q=one%20two&limit=5')).status).toBe(200);
    } finally {
      await strict.stop();
      await removeDir(strict.dataDir);
    }
  });
});
