import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { call, connect, ERAS, failure } from './support.js';

let server: TestServer;
let writer: string;

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 1, 2, 3, 255]);
const CSV = Buffer.from('a,b\n1,2\n');

describe.each(ERAS)('attachment tools over the %s era', (era) => {
  const page = era === 'modern' ? 'Modern Files' : 'Legacy Files';
  let client: Client;
  beforeAll(async () => {
    client = await connect(server, era, writer);
    await call(client, 'write_note', { path: page, content: '# Files' });
  });
  afterAll(async () => {
    await client.close();
  });

  it('round-trips files: upload, list, download (same bytes), delete', async () => {
    const uploaded = await call(client, 'upload_attachment', {
      path: page,
      filename: 'chart.png',
      content: PNG.toString('base64'),
      commit_message: 'Add chart',
    });
    expect(uploaded.text).toBe(`Uploaded chart.png to ${page} (${PNG.length} bytes)`);
    expect(uploaded.structured).toMatchObject({ filename: 'chart.png', path: page, mime_type: 'image/png' });
    await call(client, 'upload_attachment', {
      path: page,
      filename: 'data.csv',
      content: CSV.toString('base64'),
    });

    const listed = await call(client, 'list_attachments', { path: page });
    const lines = listed.text.split('\n');
    expect(lines[0]).toBe(`Attachments for ${page} (2):`);
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(
      new RegExp(`^- chart\\.png \\(${PNG.length} bytes, image/png, modified \\d{4}-.+\\)$`),
    );
    expect(lines[3]).toMatch(/^- data\.csv \(8 bytes, text\/csv; charset=utf-8, modified .+\)$/);
    expect(listed.structured).toMatchObject({ path: page, total: 2 });

    const image = await call(client, 'download_attachment', { path: page, filename: 'chart.png' });
    expect(image.text).toBe(
      `Downloaded chart.png (${PNG.length} bytes, image/png)\nContent (base64):\n${PNG.toString('base64')}`,
    );
    expect(Buffer.from(String(image.structured.content), 'base64')).toEqual(PNG);
    expect(image.result.content[1]).toEqual({
      type: 'image',
      data: PNG.toString('base64'),
      mimeType: 'image/png',
    });

    const csv = await call(client, 'download_attachment', { path: page, filename: 'data.csv' });
    expect(csv.result.content[1]).toMatchObject({
      type: 'resource',
      resource: {
        uri: `wiki://main/${encodeURIComponent(page)}/data.csv`,
        mimeType: 'text/csv; charset=utf-8',
        blob: CSV.toString('base64'),
      },
    });

    const deleted = await call(client, 'delete_attachment', { path: page, filename: 'chart.png' });
    expect(deleted.text).toBe('Deleted attachment chart.png');
    expect((await call(client, 'list_attachments', { path: page })).structured.total).toBe(1);

    const changes = await call(client, 'get_recent_changes', { limit: 3 });
    expect(changes.structured.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: `[mcp] Delete attachment: ${page}/chart.png` }),
        expect.objectContaining({ message: `[mcp] Attach: ${page}/data.csv` }),
        expect.objectContaining({ message: '[mcp] Add chart' }),
      ]),
    );
    await call(client, 'delete_attachment', { path: page, filename: 'data.csv' });
    expect((await call(client, 'list_attachments', { path: page })).text).toBe(
      `Attachments for ${page} (0):\n\n  (no attachments)`,
    );
  });

  it('fails for a missing page or file, bad base64 and unsafe names', async () => {
    const content = CSV.toString('base64');
    expect(
      await failure(client, 'upload_attachment', { path: 'No Such Page', filename: 'a.csv', content }),
    ).toBe(
      'Page not found: No Such Page. Use write_note to create it, or list_notes to see available pages.',
    );
    expect(await failure(client, 'download_attachment', { path: page, filename: 'nope.pdf' })).toBe(
      'Attachment not found: nope.pdf',
    );
    expect(await failure(client, 'delete_attachment', { path: page, filename: 'nope.pdf' })).toBe(
      'Attachment not found: nope.pdf',
    );
    expect(await failure(client, 'list_attachments', { path: 'No Such Page' })).toMatch(
      /^Page not found: No Such Page\./,
    );
    expect(
      await failure(client, 'upload_attachment', { path: page, filename: 'a.csv', content: 'not base64!' }),
    ).toBe('Invalid request: content must be valid base64');
    expect(
      await failure(client, 'upload_attachment', { path: page, filename: '../escape.csv', content }),
    ).toMatch(/^Invalid request: /);
    expect(await failure(client, 'upload_attachment', { path: page, filename: 'page.md', content })).toMatch(
      /^Invalid request: /,
    );
  });
});
