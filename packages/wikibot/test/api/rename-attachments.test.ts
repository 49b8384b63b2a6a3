import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let writer: string;

const page = (path: string) => `/w/main/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
const put = (path: string, content: string) =>
  server.call('PUT', page(path), { token: writer, body: { content } });
const read = async (path: string) => (await server.call('GET', page(path), { token: writer })).json;
const upload = (path: string, filename: string, content: Buffer) =>
  server.call('POST', `${page(path)}/attachments`, {
    token: writer,
    body: { filename, content: content.toString('base64') },
  });
const git = (...args: string[]) =>
  execFileSync('git', ['-C', `${server.dataDir}/wikis/main/repo.git`, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('POST /pages/<path>/rename', () => {
  it('moves the page, its folder and rewrites every link in the same commit', async () => {
    await put('Guides/Setup', '# Setup\n\n## Disks\n\nformat them');
    await put('Guides/Setup/Advanced', 'deep dive, back to [[Guides/Setup]]');
    await upload('Guides/Setup', 'diagram.png', Buffer.from([137, 80, 78, 71, 1, 2, 3]));
    await put(
      'Index',
      'See [[Guides/Setup]], [[the setup guide|Guides/Setup]], [[Guides/Setup#Disks]] and [[guides/setup/advanced]].\n\n```\n[[Guides/Setup]] in code stays\n```',
    );
    const before = git('rev-parse', 'main').trim();

    const res = await server.call('POST', `${page('Guides/Setup')}/rename`, {
      token: writer,
      body: { new_path: 'Handbook/Install' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      old_path: 'Guides/Setup',
      new_path: 'Handbook/Install',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      updated_pages: ['Handbook/Install/Advanced', 'Index'],
    });

    // One commit on top of the previous tip.
    expect(git('rev-parse', `${res.json.revision}^`).trim()).toBe(before);
    const files = git('show', '--name-status', '--format=', res.json.revision);
    expect(files).toContain('Handbook/Install.md');
    expect(files).toContain('Handbook/Install/diagram.png');
    expect(files).toContain('Index.md');

    const index = await read('Index');
    expect(index.content).toContain('[[Handbook/Install]]');
    expect(index.content).toContain('[[the setup guide|Handbook/Install]]');
    expect(index.content).toContain('[[Handbook/Install#Disks]]');
    // A link to a subpage moves with it and keeps the rest as written.
    expect(index.content).toContain('[[Handbook/Install/advanced]]');
    expect(index.content).toContain('[[Guides/Setup]] in code stays');
    expect((await read('Handbook/Install/Advanced')).content).toContain('[[Handbook/Install]]');
    expect((await server.call('GET', page('Guides/Setup'), { token: writer })).status).toBe(404);
    const attachments = await server.call('GET', `${page('Handbook/Install')}/attachments`, {
      token: writer,
    });
    expect(attachments.json.attachments.map((a: any) => a.filename)).toEqual(['diagram.png']);
    expect((await read('Handbook/Install')).linked_from).toEqual(['Handbook/Install/Advanced', 'Index']);
  });

  it('refuses an existing target (409), the same path (422), a missing page (404) and a bad name (422)', async () => {
    await put('R/One', 'one');
    await put('R/Two', 'two');
    const rename = (from: string, body: unknown) =>
      server.call('POST', `${page(from)}/rename`, { token: writer, body });
    const exists = await rename('R/One', { new_path: 'r/two' });
    expect(exists.status).toBe(409);
    expect(exists.json.error).toBe('A page already exists at: r/two');
    const same = await rename('R/One', { new_path: 'R/One' });
    expect(same.status).toBe(422);
    expect(same.json.error).toBe('new_path is the same as the current path');
    expect((await rename('R/None', { new_path: 'R/Three' })).status).toBe(404);
    expect((await rename('R/One', { new_path: '../escape' })).status).toBe(422);
    expect((await rename('R/One', {})).json.error).toBe("Request body must include 'new_path' field");
  });
});

describe('attachments', () => {
  it('round-trips bytes through base64 and lists them with mime types', async () => {
    await put('Gallery', 'pictures');
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    const up = await upload('Gallery', 'chart.png', bytes);
    expect(up.status).toBe(201);
    expect(up.json).toEqual({ filename: 'chart.png', path: 'Gallery', size: 5000, mime_type: 'image/png' });

    const list = await server.call('GET', `${page('gallery')}/attachments`, { token: writer });
    expect(list.json).toEqual({
      attachments: [
        { filename: 'chart.png', size: 5000, mime_type: 'image/png', last_modified: expect.any(String) },
      ],
      total: 1,
      path: 'Gallery',
    });
    const down = await server.call('GET', `${page('Gallery')}/attachments/chart.png`, { token: writer });
    expect(down.json.mime_type).toBe('image/png');
    expect(Buffer.from(down.json.content, 'base64').equals(bytes)).toBe(true);

    const raw = await fetch(`${server.url}${page('Gallery')}/attachments/chart.png`, {
      headers: { authorization: `Bearer ${writer}`, accept: 'image/png' },
    });
    expect(raw.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);

    const del = await server.call('DELETE', `${page('Gallery')}/attachments/chart.png`, { token: writer });
    expect(del.json).toEqual({ deleted: true, filename: 'chart.png' });
    expect(
      (await server.call('GET', `${page('Gallery')}/attachments/chart.png`, { token: writer })).status,
    ).toBe(404);
  });

  it('refuses an 11 MB file with 422, bad base64 and unsafe names with 422, a missing page with 404', async () => {
    await put('Files', 'files');
    const big = await upload('Files', 'big.bin', Buffer.alloc(11 * 1024 * 1024, 1));
    expect(big.status).toBe(422);
    expect(big.json.error).toBe('Attachment too large (max 10MB)');
    const notBase64 = await server.call('POST', `${page('Files')}/attachments`, {
      token: writer,
      body: { filename: 'x.txt', content: '***not base64***' },
    });
    expect(notBase64.status).toBe(422);
    expect(notBase64.json.error).toBe('content must be valid base64');
    for (const name of ['../escape.txt', 'a/b.txt', '.hidden', 'page.md']) {
      const res = await upload('Files', name, Buffer.from('x'));
      expect(res.status, name).toBe(422);
    }
    expect((await upload('NoPage', 'x.txt', Buffer.from('x'))).status).toBe(404);
  });
});

describe('scopes', () => {
  it('lets a read token read and refuses its writes with 403; no token is 401', async () => {
    const reader = await server.token(['wiki:read']);
    await put('Scoped', 'x');
    expect((await server.call('GET', page('Scoped'), { token: reader })).status).toBe(200);
    const denied = await server.call('PUT', page('Scoped'), { token: reader, body: { content: 'y' } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(denied.headers.get('www-authenticate')).toContain('scope="wiki:write"');
    const anonymous = await server.call('GET', page('Scoped'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer .*resource_metadata="[^"]+"/);
    const forged = await server.call('GET', page('Scoped'), { token: `${reader.slice(0, -2)}xx` });
    expect(forged.status).toBe(401);
  });

  it('refuses a token of another wiki, a revoked token and an expired one', async () => {
    await server.services.registry.create('other', { template: false });
    const otherToken = await server.token(['wiki:read', 'wiki:write'], 'other');
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: otherToken })).status).toBe(403);
    expect((await server.call('GET', '/w/other/api/v1/pages', { token: otherToken })).status).toBe(200);

    const created = await server.services.tokens.create({
      wiki: 'main',
      name: 'short-lived',
      scopes: ['wiki:read'],
    });
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: created.token })).status).toBe(200);
    await server.services.tokens.revoke(created.info.id);
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: created.token })).status).toBe(401);

    const expiring = await server.services.tokens.create({
      wiki: 'main',
      name: 'x',
      scopes: ['wiki:read'],
      expiresAt: new Date(Date.now() + 1500),
    });
    await server.services.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', expiring.info.id)
      .execute();
    expect((await server.call('GET', '/w/main/api/v1/pages', { token: expiring.token })).status).toBe(401);
  });

  it('accepts WIKIBOT_ADMIN_TOKEN on every wiki', async () => {
    const admin = await startTestServer({ env: { WIKIBOT_ADMIN_TOKEN: 'automation-secret-0123456789' } });
    try {
      const res = await admin.call('PUT', '/w/main/api/v1/pages/Auto', {
        token: 'automation-secret-0123456789',
        body: { content: 'x' },
      });
      expect(res.status).toBe(201);
      expect(
        (await admin.call('GET', '/w/main/api/v1/pages/Auto', { token: 'automation-secret-0123456789x' }))
          .status,
      ).toBe(401);
    } finally {
      await admin.stop();
      await removeDir(admin.dataDir);
    }
  });
});
