import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/wikis.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { connect, ERAS, rawRpc } from './support.js';

let server: TestServer;
let reader: string;
const PAGE_COUNT = 150;
const seeded = { actor: SYSTEM_ACTOR, source: 'cli' as const };

beforeAll(async () => {
  server = await startTestServer();
  reader = await server.token(['wiki:read']);
  const wiki = await server.services.registry.wiki('main');
  for (let i = 0; i < PAGE_COUNT - 1; i++) await wiki.writePage(`Notes/Page ${i}`, `# Page ${i}`, seeded);
  await wiki.writePage('Guides/Disk Setup', '---\ntitle: Disks\n---\n# Disks\n', seeded);
  await wiki.uploadAttachment('Guides/Disk Setup', 'layout.txt', Buffer.from('sda1 /'), seeded);
  await server.services.registry.create('custom', { template: false });
  const custom = await server.services.registry.wiki('custom');
  await custom.writePage(
    'Meta/Wiki Usage Guide',
    '---\ntitle: Usage\n---\n# House rules\n\nAlways cite sources.\n',
    seeded,
  );
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe.each(ERAS)('resources and prompts over the %s era', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(server, era, reader);
  });
  afterAll(async () => {
    await client.close();
  });

  it('lists every page as wiki://<slug>/<path>, 100 at a time', async () => {
    const first = await rawRpc(server, era, 'resources/list', {}, { token: reader });
    const page1 = (first.json as { result: { resources: unknown[]; nextCursor: string } }).result;
    expect(page1.resources).toHaveLength(100);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await client.listResources({ cursor: page1.nextCursor });
    expect(second.resources).toHaveLength(PAGE_COUNT - 100);
    expect(second.nextCursor).toBeUndefined();

    // The SDK client follows the cursors itself.
    const all = (await client.listResources()).resources;
    expect(new Set(all.map((r) => r.uri)).size).toBe(PAGE_COUNT);
    expect(all).toContainEqual({
      uri: 'wiki://main/Guides/Disk%20Setup',
      name: 'Guides/Disk Setup',
      title: 'Disks',
      mimeType: 'text/markdown',
    });
    await expect(client.listResources({ cursor: 'garbage' })).rejects.toThrow(/cursor/i);
  });

  it('offers the page template', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      expect.objectContaining({
        name: 'page',
        uriTemplate: 'wiki://main/{+path}',
        mimeType: 'text/markdown',
      }),
    ]);
  });

  it('reads a page as Markdown and an attachment as a blob; a missing one is not found', async () => {
    const page = await client.readResource({ uri: 'wiki://main/Guides/Disk%20Setup' });
    expect(page.contents).toEqual([
      {
        uri: 'wiki://main/Guides/Disk%20Setup',
        mimeType: 'text/markdown',
        text: '---\ntitle: Disks\n---\n# Disks\n',
      },
    ]);
    const file = await client.readResource({ uri: 'wiki://main/Guides/Disk%20Setup/layout.txt' });
    expect(file.contents).toEqual([
      {
        uri: 'wiki://main/Guides/Disk%20Setup/layout.txt',
        mimeType: 'text/plain; charset=utf-8',
        blob: Buffer.from('sda1 /').toString('base64'),
      },
    ]);
    await expect(client.readResource({ uri: 'wiki://main/Nope' })).rejects.toThrow(/not found/i);
    await expect(client.readResource({ uri: 'wiki://custom/Meta/Wiki%20Usage%20Guide' })).rejects.toThrow();
  });

  it('serves the usage guide prompt: the built-in guide, or the wiki’s own page', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['wiki_usage_guide']);
    const builtIn = await client.getPrompt({ name: 'wiki_usage_guide' });
    const text = builtIn.messages[0]?.content.type === 'text' ? builtIn.messages[0].content.text : '';
    expect(text).toMatch(/^You are working with the wiki "Main" through its MCP tools/);
    expect(text).toContain('# Wiki Usage Guide');
    expect(text).toContain('`write_note`');
    expect(text).not.toContain('title: Wiki Usage Guide');

    const custom = await connect(server, era, await server.token(['wiki:read'], 'custom'), 'custom');
    const own = await custom.getPrompt({ name: 'wiki_usage_guide' });
    expect(own.messages[0]?.content).toEqual({
      type: 'text',
      text: 'You are working with the wiki "custom" through its MCP tools. Follow its usage guide:\n\n# House rules\n\nAlways cite sources.',
    });
    await custom.close();
  });
});

describe('2026-07-28 cache hints', () => {
  it('marks resource lists and reads uncacheable, private', async () => {
    const list = await rawRpc(server, 'modern', 'resources/list', {}, { token: reader });
    expect(list.json).toMatchObject({ result: { ttlMs: 0, cacheScope: 'private' } });
    const read = await rawRpc(
      server,
      'modern',
      'resources/read',
      { uri: 'wiki://main/Notes/Page%201' },
      { token: reader },
    );
    expect(read.json).toMatchObject({ result: { ttlMs: 0, cacheScope: 'private' } });
  });
});
