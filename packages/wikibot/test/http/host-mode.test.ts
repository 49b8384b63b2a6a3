import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git-http/support.js';
import { call } from '../mcp/support.js';
import { Browser } from '../oauth/support/browser.js';
import { createPerson } from '../oauth/support/people.js';
import { loopbackFetch, startHostModeServer } from '../support/loopbackHosts.js';
import { rawHttp } from '../support/net.js';
import { removeDir, type TestServer } from '../support/server.js';

/**
 * Host mode (SPEC §8): with `http.wiki_host_mode`, wiki "main" is served at main.localhost —
 * pages at `/`, REST at `/api/v1`, MCP at `/mcp`, git at `/.git` — beside the platform on the base
 * URL. *.localhost does not resolve here, so clients are pointed at the loopback address for it
 * (support/loopbackHosts.ts, git's `http.curloptResolve`) and send the wiki's host name as it is.
 */
let server: TestServer;
let port: number;
let token: string;
let work: string;
const wikiOrigin = () => `http://main.localhost:${port}`;

async function wikiCall(path: string, options: { method?: string; body?: unknown; host?: string } = {}) {
  const res = await loopbackFetch(`http://${options.host ?? `main.localhost:${port}`}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  ({ server, port } = await startHostModeServer());
  token = await server.token(['wiki:read', 'wiki:write', 'wiki:admin']);
  work = await mkdtemp(join(tmpdir(), 'wikibot-host-mode-'));
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
  await removeDir(work);
});

describe('a wiki on its own host', () => {
  it('takes REST writes and reads at /api/v1', async () => {
    const put = await wikiCall('/api/v1/pages/Home', {
      method: 'PUT',
      body: { content: '# Home\n\nHosted here.' },
    });
    expect(put.status).toBe(201);
    const list = await wikiCall('/api/v1/pages');
    expect(list.json.pages.map((p: { path: string }) => p.path)).toEqual(['Home']);
  });

  it('serves its pages at /', async () => {
    const home = await wikiCall('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Hosted here.');
  });

  it('answers the official MCP client at /mcp', async () => {
    const client = new Client({ name: 'host-mode-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${wikiOrigin()}/mcp`), {
        fetch: loopbackFetch,
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      const { structured } = await call(client, 'read_note', { path: 'Home' });
      expect(structured.content).toContain('Hosted here.');
    } finally {
      await client.close();
    }
  });

  it('is cloned with the real git CLI from /.git', async () => {
    const url = new URL(`${wikiOrigin()}/.git`);
    url.username = 'me';
    url.password = token;
    const clone = await git(work, [
      '-c',
      `http.curloptResolve=main.localhost:${port}:127.0.0.1`,
      'clone',
      url.href,
      'main',
    ]);
    expect(clone.code, clone.stderr).toBe(0);
    expect(await readFile(join(work, 'main', 'Home.md'), 'utf8')).toContain('Hosted here.');
  });

  it('shows the host-mode clone URL on the settings page', async () => {
    const owner = await createPerson(server, 'olga', { main: 'owner' });
    const browser = new Browser(loopbackFetch);
    const login = await browser.follow(await browser.get(`${wikiOrigin()}/-/settings`));
    const settings = await browser.follow(
      await browser.submit(login, { login: owner.login, password: owner.password }, /login/),
    );
    expect(settings.status).toBe(200);
    expect(settings.text).toContain(`git clone ${wikiOrigin()}/.git`);
    expect(settings.text).toContain(`${wikiOrigin()}/mcp`);
  });
});

describe('the web UI on a wiki host', () => {
  it('redirects to the host’s own paths: after sign-in and after an edit', async () => {
    const person = await createPerson(server, 'hannah', { main: 'editor' });
    const browser = new Browser(loopbackFetch);
    const gate = await browser.get(`${wikiOrigin()}/-/edit/Fresh`);
    expect(gate.status).toBe(303);
    const login = await browser.follow(gate);
    const signedIn = await browser.submit(login, { login: person.login, password: person.password }, /login/);
    expect(signedIn.location).toBe(`${wikiOrigin()}/-/edit/Fresh`);

    const editor = await browser.follow(signedIn);
    expect(editor.status).toBe(200);
    const saved = await browser.submit(editor, { content: '# Fresh\n\nWritten on the host.' }, /edit/);
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`${wikiOrigin()}/Fresh`);
    expect((await browser.follow(saved)).text).toContain('Written on the host.');
  });
});

describe('hosts that are not a wiki', () => {
  it('answers 404 naming the wiki for an unknown subdomain', async () => {
    const res = await wikiCall('/api/v1/pages', { host: `nowiki.localhost:${port}` });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('Wiki not found: nowiki');
  });

  it('answers 404 for a subdomain that cannot name a wiki', async () => {
    const res = await wikiCall('/', { host: `not_a_wiki.localhost:${port}` });
    expect(res.status).toBe(404);
    expect(res.json.error).toMatch(/^No wiki at not_a_wiki\.localhost/);
  });

  it('still refuses foreign hosts with 421', async () => {
    const res = await rawHttp(`http://127.0.0.1:${port}/api/v1/pages`, {
      method: 'GET',
      headers: { host: `main.example.com:${port}` },
    });
    expect(res.status).toBe(421);
  });

  it('keeps the platform on the base URL', async () => {
    const res = await loopbackFetch(`http://localhost:${port}/health`);
    expect(res.status).toBe(200);
  });
});
