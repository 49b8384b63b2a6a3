import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, Visitor, type WebServer, wikiPath } from './support.js';

/** Repeated page views are answered from memory: they must still be exactly what a fresh view shows. */
describe('kept page views', () => {
  let web: WebServer;
  let eddie: Visitor;
  let vera: Visitor;
  beforeAll(async () => {
    web = await startWebServer();
    eddie = new Visitor(web.url);
    vera = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    await vera.login(web.people.viewer.username);
  });
  afterAll(() => web.stop());

  it('answers a repeated view with the same page, gzipped for browsers that take it, 304 when unchanged', async () => {
    await web.put('Kept/Plain', '# Plain\n\nSee [[Kept/Other]].');
    const plain = await eddie.send('GET', wikiPath('Kept/Plain'), undefined, {
      'accept-encoding': 'identity',
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.page.text('h1.page-title')).toBe('Plain');

    const gzipped = await rawGet(`${web.url}${wikiPath('Kept/Plain')}`, {
      cookie: eddie.cookieHeader(),
      'accept-encoding': 'gzip',
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(plain.text);
    // Kept gzipped: a client that takes no gzip gets it unzipped, byte for byte.
    const plainAgain = await eddie.send('GET', wikiPath('Kept/Plain'), undefined, {
      'accept-encoding': 'identity',
    });
    expect(plainAgain.headers.get('content-encoding')).toBeNull();
    expect(plainAgain.text).toBe(plain.text);

    const etag = plain.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await eddie.send('GET', wikiPath('Kept/Plain'), undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('shows a change at once: the page’s new text, a page created elsewhere in the sidebar, a red link turned', async () => {
    const revision = await web.put('Kept/Changing', 'first text, see [[Kept/Later]]');
    const before = await eddie.get(wikiPath('Kept/Changing'));
    expect(before.page.text('.markdown')).toContain('first text');
    expect(before.page.has('.markdown a.wikilink.missing')).toBe(true);
    expect(before.page.has('.sidebar a[href="/w/main/Kept/Later"]')).toBe(false);

    await web.put('Kept/Changing', 'second text, see [[Kept/Later]]', revision);
    await web.put('Kept/Later', 'now it exists');
    const after = await eddie.get(wikiPath('Kept/Changing'));
    expect(after.page.text('.markdown')).toContain('second text');
    expect(after.page.has('.markdown a.wikilink.missing')).toBe(false);
    expect(after.page.has('.sidebar a[href="/w/main/Kept/Later"]')).toBe(true);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  });

  it('never shows one person the page kept for another (their name, their form token, their actions)', async () => {
    await web.put('Kept/Shared', 'shared');
    const forEddie = await eddie.get(wikiPath('Kept/Shared'));
    const forVera = await vera.get(wikiPath('Kept/Shared'));
    expect(forEddie.page.text('.user')).toContain('eddie');
    expect(forVera.page.text('.user')).toContain('vera');
    expect(forVera.text).not.toContain(eddie.csrf);
    expect(forEddie.page.has('a[data-shortcut=e]')).toBe(true);
    expect(forVera.page.has('a[data-shortcut=e]')).toBe(false);
    const anonymous = await new Visitor(web.url).get(wikiPath('Kept/Shared'));
    expect(anonymous.text).not.toContain('shared');
  });

  it('shows a one-time message once, then the kept page without it', async () => {
    const revision = await web.put('Kept/Flash', 'text');
    await eddie.get(wikiPath('Kept/Flash'));
    const saved = await eddie.post(wikiPath('Kept/Flash', 'edit'), {
      content: 'edited',
      revision,
      message: '',
    });
    expect(saved.status).toBe(303);
    const withMessage = await eddie.get(saved.location ?? '');
    expect(withMessage.page.text('.flash')).toContain('Saved');
    const later = await eddie.get(saved.location ?? '');
    expect(later.page.has('main > .flash')).toBe(false);
    expect(later.page.text('.markdown')).toBe('edited');
  });

  it('answers REST `?format=html` with the HTML the page view shows (one renderer for every door)', async () => {
    await web.put('Kept/Doors', '## Part\n\nSome *emphasis* and [[Kept/Plain]].');
    const token = await web.token(['wiki:read']);
    const rest = await fetch(`${web.url}/w/main/api/v1/pages/Kept/Doors?format=html`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { html } = (await rest.json()) as { html: string };
    const view = await eddie.get(wikiPath('Kept/Doors'));
    expect(view.text).toContain(html.trim());
  });
});

/** GET with exactly these headers, the body as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
