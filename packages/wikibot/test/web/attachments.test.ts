import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIXEL_PNG } from './fixtures.js';
import { startWebServer, Visitor, type WebServer, wikiPath } from './support.js';

describe('web UI attachments', () => {
  let web: WebServer;
  let eddie: Visitor;
  beforeAll(async () => {
    web = await startWebServer();
    eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    await web.put('Gallery', '# Gallery\n\n![a pixel](pixel.png)');
  });
  afterAll(() => web.stop());

  it('uploads files with a plain multipart form and lists them', async () => {
    const upload = await eddie.post('/w/main/-/attachments?page=Gallery', { message: 'add pictures' }, [
      { name: 'file', filename: 'pixel.png', type: 'image/png', body: PIXEL_PNG },
      { name: 'file', filename: 'notes.txt', type: 'text/plain', body: Buffer.from('hello') },
    ]);
    expect(upload.status).toBe(303);
    const list = await eddie.get(wikiPath('Gallery', 'attachments'));
    expect(list.page.text('.flash.ok')).toBe('Uploaded pixel.png, notes.txt.');
    const names = list.page
      .all('main table.list tbody tr')
      .map((row) => list.page.text(list.page.all('td a', row)[0]));
    expect(names).toEqual(['notes.txt', 'pixel.png']);
  });

  it('shows uploaded images inline in the page and serves them next to it', async () => {
    const view = await eddie.get('/w/main/Gallery');
    expect(view.page.attr('.markdown img', 'src')).toBe('/w/main/Gallery/pixel.png');
    const image = await eddie.get('/w/main/Gallery/pixel.png');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="pixel.png"/);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers the editor’s paste upload with JSON naming the stored file', async () => {
    const form = new FormData();
    form.set('_csrf', eddie.csrf);
    form.set('file', new Blob([new Uint8Array(PIXEL_PNG)], { type: 'image/png' }), 'pasted-1.png');
    const reply = await eddie.send('POST', '/w/main/-/attachments?page=Gallery', form, {
      accept: 'application/json',
    });
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.text)).toEqual({ filename: 'pasted-1.png', url: '/w/main/Gallery/pasted-1.png' });
  });

  it('serves HTML and SVG uploads as sandboxed downloads, never as pages', async () => {
    await eddie.post('/w/main/-/attachments?page=Gallery', {}, [
      {
        name: 'file',
        filename: 'evil.html',
        type: 'text/html',
        body: Buffer.from('<script>alert(1)</script>'),
      },
      {
        name: 'file',
        filename: 'evil.svg',
        type: 'image/svg+xml',
        body: Buffer.from('<svg onload="alert(1)"/>'),
      },
    ]);
    for (const name of ['evil.html', 'evil.svg']) {
      const reply = await eddie.get(`/w/main/Gallery/${name}`);
      expect(reply.headers.get('content-type')).toBe('application/octet-stream');
      expect(reply.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(reply.headers.get('content-security-policy')).toContain('sandbox');
    }
  });

  it('deletes an attachment', async () => {
    const reply = await eddie.post('/w/main/-/attachments?page=Gallery', { delete: 'notes.txt' });
    expect(reply.status).toBe(303);
    expect((await eddie.get('/w/main/Gallery/notes.txt')).status).toBe(404);
  });

  it('explains refused uploads on the list page', async () => {
    const reply = await eddie.post('/w/main/-/attachments?page=Gallery', {}, [
      { name: 'file', filename: 'page.md', type: 'text/markdown', body: Buffer.from('# sneaky') },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.page.text('.flash.error')).toContain("'.md' files are pages");
  });

  it('does not let viewers upload', async () => {
    const vera = new Visitor(web.url);
    await vera.login(web.people.viewer.username);
    const list = await vera.get(wikiPath('Gallery', 'attachments'));
    expect(list.page.has('input[type=file]')).toBe(false);
    const reply = await vera.post('/w/main/-/attachments?page=Gallery', {}, [
      { name: 'file', filename: 'x.png', type: 'image/png', body: PIXEL_PNG },
    ]);
    expect(reply.status).toBe(403);
  });
});
