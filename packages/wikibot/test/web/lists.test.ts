import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, Visitor, type WebServer } from './support.js';

describe('web UI changelog, feeds, index and search', () => {
  let web: WebServer;
  let eddie: Visitor;
  beforeAll(async () => {
    web = await startWebServer();
    eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    await web.put(
      'Alpha',
      '---\ntags: [greek]\ncategory: letters\n---\n# Alpha\n\nThe first letter, about kernels.',
    );
    await web.put('beta', '# Beta\n\nSecond & <last>.');
    await web.put('Zeta/Eta', 'nested page about kernels too');
    await web.put('42', 'a number');
  });
  afterAll(() => web.stop());

  it('lists every commit in the changelog, newest first, with the pages it touched', async () => {
    const { page } = await eddie.get('/w/main/-/changelog');
    const rows = page.all('main table.list tbody tr').map((row) => page.text(row));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('[api] Create: 42');
    expect(rows[3]).toContain('[api] Create: Alpha');
    expect(page.has('a[href="/w/main/-/changelog.atom"]')).toBe(true);
  });

  it('serves the changelog as Atom and RSS with absolute links and escaped text', async () => {
    const atom = await eddie.get('/w/main/-/changelog.atom');
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(atom.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    );
    expect((atom.text.match(/<entry>/g) ?? []).length).toBe(4);
    expect(atom.text).toContain(`<link href="${web.url}/w/main/-/commit/`);
    const rss = await eddie.get('/w/main/-/changelog.rss');
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect((rss.text.match(/<item>/g) ?? []).length).toBe(4);
    expect(rss.text).toContain('<title>[api] Create: beta</title>');
  });

  it('files every page under its letter in the A–Z index, and filters by tag and folder', async () => {
    const { page } = await eddie.get('/w/main/-/index');
    expect(page.texts('.az-letters a')).toEqual(['#', 'A', 'B', 'E']);
    expect(page.texts('.az-group a')).toEqual(['42', 'Alpha', 'Beta', 'Eta']);
    const tagged = await eddie.get('/w/main/-/index?tag=greek');
    expect(tagged.page.texts('.az-group a')).toEqual(['Alpha']);
    const folder = await eddie.get('/w/main/-/index?prefix=Zeta%2F');
    expect(folder.page.texts('.az-group a')).toEqual(['Eta']);
  });

  it('finds pages by their words and marks the matches', async () => {
    const { page } = await eddie.get('/w/main/-/search?q=kernels');
    expect(page.texts('.search-results li a').sort()).toEqual(['Alpha', 'Eta']);
    expect(page.texts('.search-results mark')).toContain('kernels');
    const none = await eddie.get('/w/main/-/search?q=nonexistentword');
    expect(none.page.text('.result-count')).toBe('No pages match “nonexistentword”.');
  });

  it('offers search by meaning only with a model, and says why without naming server paths', async () => {
    const { page } = await eddie.get('/w/main/-/search?q=kernels');
    expect(page.texts('#search-mode option')).toEqual(['Best match', 'Exact words (full text)']);
    const reply = await eddie.get('/w/main/-/search?q=kernels&mode=semantic');
    expect(reply.status).toBe(503);
    const notice = reply.page.text('.flash.warn');
    expect(notice).toMatch(/semantic search unavailable/i);
    expect(notice).not.toContain(web.server.dataDir);
    expect(notice).not.toMatch(/(^|\s)\//);
  });
});
