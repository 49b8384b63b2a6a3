import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, failure } from '../mcp/support.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { PASSWORD, Visitor, wikiPath } from '../web/support.js';

const ADMIN_TOKEN = 'limits-test-admin-token-0123456789';

let server: TestServer;
let writer: string;
let reader: string;

const page = (path: string) => `/w/main/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
const put = (path: string, content: string, revision?: string) =>
  server.call('PUT', page(path), { token: writer, body: { content, ...(revision ? { revision } : {}) } });
const upload = (path: string, filename: string, bytes: number) =>
  server.call('POST', `${page(path)}/attachments`, {
    token: writer,
    body: { filename, content: Buffer.alloc(bytes, 7).toString('base64') },
  });
const setLimits = (body: unknown, token = ADMIN_TOKEN) =>
  server.call('PUT', '/api/v1/wikis/main/limits', { token, body });
const usage = async () => (await server.call('GET', '/api/v1/wikis/main/usage', { token: ADMIN_TOKEN })).json;

beforeAll(async () => {
  // Two pages per wiki by default; main starts empty.
  server = await startTestServer({ env: { WIKIBOT_LIMIT_PAGES: '2', WIKIBOT_ADMIN_TOKEN: ADMIN_TOKEN } });
  writer = await server.token(['wiki:read', 'wiki:write']);
  reader = await server.token(['wiki:read']);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe('the page limit', () => {
  it('refuses a third page over REST, MCP and the web editor, naming the limit; edits and deletes still work', async () => {
    expect((await put('One', '# One\n')).status).toBe(201);
    const two = await put('Two', '# Two\n');
    expect(two.status).toBe(201);

    const refused = await put('Three', '# Three\n');
    expect(refused.status).toBe(413);
    expect(refused.json.error).toBe('Page limit reached: the wiki would have 3 pages, its limit is 2');

    const client = await connect(server, 'modern', writer);
    try {
      expect(await failure(client, 'write_note', { path: 'Three', content: '# Three\n' })).toBe(
        'Page limit reached: the wiki would have 3 pages, its limit is 2',
      );
    } finally {
      await client.close();
    }

    const { users, members } = server.services.auth;
    const eddie = await users.create({ username: 'eddie', password: PASSWORD });
    await members.grant('main', eddie.id, 'editor');
    const browser = new Visitor(server.url);
    await browser.login('eddie');
    const form = await browser.post(wikiPath('Three', 'edit'), {
      content: '# Three\r\n',
      revision: '',
      message: '',
      action: 'save',
    });
    expect(form.status).toBe(413);
    expect(form.page.text('textarea[name=content]')).toBe('# Three');
    expect(form.text).toContain('Page limit reached: the wiki would have 3 pages, its limit is 2');

    // At the limit: an edit (REST and web) and a rename still land, a delete frees a place.
    expect((await put('Two', '# Two, edited\n', two.json.revision)).status).toBe(200);
    const editor = await browser.get(wikiPath('One', 'edit'));
    const edited = await browser.post(wikiPath('One', 'edit'), {
      content: '# One, edited in the browser\r\n',
      revision: editor.page.attr('input[name=revision]', 'value') ?? '',
      message: '',
      action: 'save',
    });
    expect(edited.status).toBe(303);
    const renamed = await server.call('POST', `${page('Two')}/rename`, {
      token: writer,
      body: { new_path: 'Second' },
    });
    expect(renamed.status).toBe(200);
    expect((await server.call('DELETE', page('Second'), { token: writer })).status).toBe(200);
    expect((await put('Three', '# Three\n')).status).toBe(201);
    expect((await usage()).pages).toEqual({ used: 2, limit: 2 });
  });

  it('is raised by a platform admin, and the refused write then works; others cannot set limits', async () => {
    expect((await put('Four', '# Four\n')).status).toBe(413);

    const anonymous = await setLimits({ pages: 3 }, '');
    expect(anonymous.status).toBe(401);
    const owner = await server.token(['wiki:read', 'wiki:write', 'wiki:admin']);
    const notAdmin = await setLimits({ pages: 3 }, owner);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.json.error).toBe('Forbidden: only platform admins may do this');
    expect((await setLimits({ pages: -1 })).status).toBe(422);
    const unknown = await setLimits({ page: 3 });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error).toMatch(/page/);

    const raised = await setLimits({ pages: 3 });
    expect(raised.status).toBe(200);
    expect(raised.json.overrides).toEqual({
      pages: 3,
      repo_bytes: null,
      attachment_bytes: null,
      attachments: null,
    });
    expect(raised.json.usage.pages).toEqual({ used: 2, limit: 3 });
    expect((await put('Four', '# Four\n')).status).toBe(201);

    // 0: unlimited for this wiki; null: back to the configured default.
    expect((await setLimits({ pages: 0 })).json.usage.pages).toEqual({ used: 3, limit: null });
    expect((await put('Five', '# Five\n')).status).toBe(201);
    expect((await setLimits({ pages: null })).json.usage.pages).toEqual({ used: 4, limit: 2 });
    expect((await put('Six', '# Six\n')).status).toBe(413);
    await setLimits({ pages: 0 });
  });
});

describe('writes racing for the last places', () => {
  it('let exactly as many new pages land as the limit leaves room for', async () => {
    await server.services.registry.create('burst', { template: false });
    const limits = await server.call('PUT', '/api/v1/wikis/burst/limits', {
      token: ADMIN_TOKEN,
      body: { pages: 3 },
    });
    expect(limits.status).toBe(200);
    const token = await server.token(['wiki:read', 'wiki:write'], 'burst');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        server.call('PUT', `/w/burst/api/v1/pages/Page${i}`, { token, body: { content: `# ${i}\n` } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 413, 413, 413, 413, 413]);
    const listed = await server.call('GET', '/w/burst/api/v1/pages', { token });
    expect(listed.json.total).toBe(3);
  });
});

describe('attachment limits', () => {
  it('refuse a second attachment and a growing one over REST and MCP; a smaller replacement and deletes work', async () => {
    await setLimits({ attachments: 1, attachment_bytes: 100 });
    expect((await upload('One', 'a.bin', 60)).status).toBe(201);

    const second = await upload('One', 'b.bin', 10);
    expect(second.status).toBe(413);
    expect(second.json.error).toBe(
      'Attachment count limit reached: the wiki would have 2 attachments, its limit is 1',
    );
    const bigger = await upload('One', 'a.bin', 150);
    expect(bigger.status).toBe(413);
    expect(bigger.json.error).toBe(
      'Attachment size limit reached: the wiki would have 150 bytes of attachments, its limit is 100',
    );
    const client = await connect(server, 'modern', writer);
    try {
      expect(
        await failure(client, 'upload_attachment', {
          path: 'One',
          filename: 'c.bin',
          content: Buffer.alloc(5).toString('base64'),
        }),
      ).toBe('Attachment count limit reached: the wiki would have 2 attachments, its limit is 1');
    } finally {
      await client.close();
    }

    expect((await upload('One', 'a.bin', 40)).status).toBe(201);
    expect((await usage()).attachments).toEqual({ used: 1, limit: 1 });
    expect((await usage()).attachment_bytes).toEqual({ used: 40, limit: 100 });
    expect((await server.call('DELETE', `${page('One')}/attachments/a.bin`, { token: writer })).status).toBe(
      200,
    );
    expect((await upload('One', 'b.bin', 100)).status).toBe(201);
    await setLimits({ attachments: null, attachment_bytes: null });
  });
});

describe('the repository size limit', () => {
  it('refuses a write that adds content once the repository is at its limit; deletes still work', async () => {
    const before = (await usage()).repo_bytes.used;
    expect(before).toBeGreaterThan(0);
    await setLimits({ repo_bytes: before + 1000 });
    const refused = await put('Big', 'x'.repeat(2000));
    expect(refused.status).toBe(413);
    expect(refused.json.error).toBe(
      `Repository size limit reached: the wiki would have ${before + 2000} bytes in its repository (at most), its limit is ${before + 1000}`,
    );
    expect((await server.call('DELETE', page('Five'), { token: writer })).status).toBe(200);
    await setLimits({ repo_bytes: null });
    expect((await put('Big', 'x'.repeat(2000))).status).toBe(201);
  });
});

describe('usage', () => {
  it('counts pages, attachments and repository bytes, for owners and platform admins only', async () => {
    const pages = (await server.call('GET', '/w/main/api/v1/pages', { token: writer })).json.total;
    const mine = await usage();
    expect(mine).toMatchObject({
      slug: 'main',
      pages: { used: pages, limit: null },
      attachments: { used: 1, limit: null },
      attachment_bytes: { used: 100, limit: null },
      repo_bytes: { limit: null },
    });
    expect(mine.repo_bytes.used).toBeGreaterThan(2000);

    const owner = await server.token(['wiki:read', 'wiki:write', 'wiki:admin']);
    expect((await server.call('GET', '/api/v1/wikis/main/usage', { token: owner })).json).toEqual(mine);
    expect((await server.call('GET', '/api/v1/wikis/main/usage', { token: reader })).status).toBe(403);
    expect((await server.call('GET', '/api/v1/wikis/main/usage')).status).toBe(401);
    expect((await server.call('GET', '/api/v1/wikis/nope/usage', { token: ADMIN_TOKEN })).status).toBe(404);

    await server.services.registry.create('other', { template: false });
    const all = await server.call('GET', '/api/v1/usage', { token: ADMIN_TOKEN });
    expect(all.status).toBe(200);
    expect(all.json.wikis.map((w: { slug: string }) => w.slug)).toEqual(['burst', 'main', 'other']);
    expect(all.json.wikis[2].pages).toEqual({ used: 0, limit: 2 });
    expect((await server.call('GET', '/api/v1/usage', { token: owner })).status).toBe(403);

    const doc = (await server.call('GET', '/api/v1/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/usage', '/wikis/{slug}/usage', '/wikis/{slug}/limits']),
    );
  });
});
