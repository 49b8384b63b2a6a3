import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext, lambdaFetch, scheduledEvent } from '../../bench/lambdaEvents.js';
import { handler } from '../../src/lambda.js';
import { Browser } from '../oauth/support/browser.js';
import { authorizeAsUser, OAuthTestClient, type Person, pkce } from '../oauth/support/oauthClient.js';
import { removeDir } from '../support/server.js';
import { functionEnv, prepareSharedDirectory } from './support.js';

/**
 * The Lambda handler, invoked with API Gateway HTTP API (2.0) events built from the AWS documentation's
 * shapes: every door, through one function. No AWS here: the events are what API Gateway would send.
 */

const BASE = 'https://wiki.example.test';
const ADMIN = 'lambda-harness-admin-token-0123456789';
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let dataDir: string;
let indexDir: string;
let alice: Person;
let viaGateway: typeof fetch;

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'wikibot-lambda-')), 'efs');
  indexDir = await mkdtemp(join(tmpdir(), 'wikibot-lambda-tmp-'));
  const env = functionEnv(dataDir, {
    WIKIBOT_INDEX_DIR: indexDir,
    WIKIBOT_INDEX_SNAPSHOT_EVERY: '2',
    WIKIBOT_BASE_URL: BASE,
    WIKIBOT_ADMIN_TOKEN: ADMIN,
    WIKIBOT_DELETED_WIKI_RETENTION_DAYS: '0', // a deleted wiki is purged at the next scheduled event
  });
  const password = 'alice-correct-horse-battery';
  await prepareSharedDirectory(env, async (setup) => {
    await setup.registry.create('main', { title: 'Main' });
    const user = await setup.auth.users.create({ username: 'alice', password, isAdmin: false });
    await setup.auth.members.grant('main', user.id, 'editor');
  });
  alice = { login: 'alice', password };
  Object.assign(process.env, env); // the function's configuration, read on its first invocation
  viaGateway = lambdaFetch(handler, BASE);
  // The OAuth test client and browser use the global fetch: route it through API Gateway too.
  vi.stubGlobal('fetch', viaGateway);
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await removeDir(join(dataDir, '..'));
  await removeDir(indexDir);
});

const api = (path: string, init: RequestInit = {}, token = ADMIN) =>
  viaGateway(`${BASE}/w/main/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

describe('the Lambda handler behind API Gateway (HTTP API, payload 2.0)', () => {
  it('serves the REST API, keeps its index in the instance directory and a snapshot next to the repository', async () => {
    const put = await api('/pages/Lambda/Notes', {
      method: 'PUT',
      body: JSON.stringify({ content: '# Notes\n\nServed by a function.' }),
    });
    expect(put.status).toBe(201);
    const read = await api('/pages/Lambda/Notes');
    expect(read.status).toBe(200);
    expect((await read.json()).content).toBe('# Notes\n\nServed by a function.');
    const search = await (await api('/search?q=function')).json();
    expect(search.results.map((r: { path: string }) => r.path)).toContain('Lambda/Notes');
    expect(await readdir(join(indexDir, 'main'))).toContain('index.sqlite');
    // The first instance found no snapshot, rebuilt, and left one for the next cold start.
    expect(existsSync(join(dataDir, 'wikis/main/index.snapshot.sqlite'))).toBe(true);
    expect((await api('/pages/Missing')).status).toBe(404);
  });

  it('serves the web UI: a login form, its session cookie, a redirect, a page as HTML', async () => {
    const browser = new Browser();
    const login = await browser.get(`${BASE}/-/login`);
    expect(login.status).toBe(200);
    const wrong = await browser.submit(login, { login: 'alice', password: 'not-her-password' }, '/-/login');
    expect(wrong.status).toBe(401);
    const signedIn = await browser.submit(
      login,
      { login: alice.login, password: alice.password },
      '/-/login',
    );
    expect(signedIn.status).toBe(303);
    expect(browser.cookie(BASE, 'wikibot_session')).toBeTruthy();
    const page = await browser.follow(await browser.get(`${BASE}/w/main/Lambda/Notes`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Served by a function.');
  });

  it('takes a binary upload (a base64 event body) and serves the attachment back (a base64 result)', async () => {
    const browser = new Browser();
    await browser.follow(
      await browser.submit(
        await browser.get(`${BASE}/-/login`),
        { login: alice.login, password: alice.password },
        '/-/login',
      ),
    );
    const page = await browser.get(`${BASE}/w/main/-/attachments/Lambda/Notes`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const cookie = ['wikibot_session', 'wikibot_csrf']
      .map((name) => `${name}=${browser.cookie(BASE, name)}`)
      .join('; ');
    const form = new FormData();
    form.set('_csrf', csrf);
    form.set('file', new Blob([new Uint8Array(PIXEL_PNG)], { type: 'image/png' }), 'pixel.png');
    const upload = await viaGateway(`${BASE}/w/main/-/attachments?page=Lambda/Notes`, {
      method: 'POST',
      body: form,
      headers: { cookie, accept: 'application/json' },
    });
    expect(upload.status).toBe(201);
    const download = await viaGateway(`${BASE}/w/main/Lambda/Notes/pixel.png`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(PIXEL_PNG)).toBe(true);
  });

  it('runs a whole OAuth authorization-code flow with PKCE, and the token works on REST and MCP', async () => {
    const redirect = 'https://agent.example.test/callback';
    const client = await OAuthTestClient.register(BASE, redirect);
    const { verifier, challenge } = pkce();
    const resource = `${BASE}/w/main/mcp`;
    const url = client.authorizeUrl({ scope: 'wiki:read wiki:write', resource, challenge });
    const { callback } = await authorizeAsUser(new Browser(), url, alice, { redirectUri: redirect });
    expect(callback.searchParams.get('iss')).toBe(BASE);
    const tokens = await client.exchange(callback.searchParams.get('code') as string, verifier, resource);
    expect(tokens.status).toBe(200);
    const access = tokens.body.access_token as string;
    expect((await api('/pages', {}, access)).status).toBe(200);
    const mcp = await viaGateway(resource, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${access}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(200);
    expect((await mcp.json()).result.tools.map((t: { name: string }) => t.name)).toContain('read_note');
  });

  it('answers the official MCP SDK client, its requests turned into events by a custom fetch', async () => {
    const client = new Client({ name: 'lambda-harness', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/w/main/mcp`), {
      fetch: viaGateway,
      requestInit: { headers: { authorization: `Bearer ${ADMIN}` } },
    });
    await client.connect(transport);
    const written = await client.callTool({
      name: 'write_note',
      arguments: { path: 'Lambda/FromMcp', content: '# From MCP\n\nThrough the handler.' },
    });
    expect(written.isError).toBeFalsy();
    const read = await client.callTool({ name: 'read_note', arguments: { path: 'Lambda/FromMcp' } });
    expect(JSON.stringify(read.content)).toContain('Through the handler.');
    await client.close();
  });

  it('recognises an EventBridge scheduled event: purges expired deleted wikis, drains embedding work (none configured: says so)', async () => {
    const json = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const made = await viaGateway(`${BASE}/api/v1/wikis`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ slug: 'scratch', template: 'empty' }),
    });
    expect(made.status).toBe(201);
    expect(
      (await viaGateway(`${BASE}/api/v1/wikis/scratch`, { method: 'DELETE', headers: json })).status,
    ).toBe(200);
    const result = await handler(scheduledEvent() as never, lambdaContext(60_000));
    expect(result).toEqual({
      purged: ['scratch'],
      drained: [],
      stopped: expect.stringContaining('Semantic search unavailable'),
    });
    expect(existsSync(join(dataDir, 'wikis', 'scratch'))).toBe(false);
  });

  it('refuses an event it does not serve with an error naming what it expects', async () => {
    await expect(handler({ Records: [] } as never, lambdaContext())).rejects.toThrow(/HTTP API \(2\.0\)/);
  });
});
