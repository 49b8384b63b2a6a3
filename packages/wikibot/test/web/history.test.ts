import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, Visitor, type WebServer, wikiPath } from './support.js';

describe('web UI history, diff, blame and revert', () => {
  let web: WebServer;
  let eddie: Visitor;
  let revisions: string[];
  beforeAll(async () => {
    web = await startWebServer();
    eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    const one = await web.put('Story', 'line one\nline two\nline three\n');
    const two = await web.put('Story', 'line one\nline 2\nline three\n', one);
    const three = await web.put('Story', 'line one\nline 2\nline three\nline four\n', two);
    revisions = [one, two, three];
  });
  afterAll(() => web.stop());

  it('lists the page’s commits newest first, preselecting the last change to compare', async () => {
    const { page } = await eddie.get(wikiPath('Story', 'history'));
    const shown = page.all('table.history tbody tr').length;
    expect(shown).toBe(3);
    expect(page.attr('input[name=to][checked]', 'value')).toBe(revisions[2]);
    expect(page.attr('input[name=from][checked]', 'value')).toBe(revisions[1]);
    expect(page.attr('main form', 'action')).toBe('/w/main/-/compare/Story');
  });

  it('compares two revisions line by line', async () => {
    const { status, page } = await eddie.get(
      `/w/main/-/compare/Story?from=${revisions[0]}&to=${revisions[2]}`,
    );
    expect(status).toBe(200);
    expect(page.texts('table.diff tr.removed td.text')).toEqual(['line two']);
    expect(page.texts('table.diff tr.added td.text')).toEqual(['line 2', 'line four']);
    expect(page.texts('table.diff tr.added td.num').filter(Boolean)).toContain('4');
  });

  it('shows one commit with its message, author and diff', async () => {
    const { page } = await eddie.get(`/w/main/-/commit/${revisions[1]}`);
    expect(page.text('h1')).toBe('[api] Update: Story');
    expect(page.text('.diff-file header')).toContain('Story.md');
    expect(page.texts('tr.added td.text')).toEqual(['line 2']);
    expect(page.attr(`a[href="/w/main/-/commit/${revisions[0]}"]`, 'href')).toBeDefined();
  });

  it('blames each line on the commit that last changed it', async () => {
    const { page } = await eddie.get(wikiPath('Story', 'blame'));
    const rows = page.all('table.blame tr');
    expect(rows).toHaveLength(4);
    const firstCells = page.all('table.blame tr.first td.commit a.sha').map((a) => page.text(a));
    expect(firstCells).toEqual(
      [revisions[0], revisions[1], revisions[0], revisions[2]].map((r) => r?.slice(0, 7)),
    );
    expect(page.texts('table.blame td.text')).toEqual(['line one', 'line 2', 'line three', 'line four']);
  });

  it('reverts a commit in a new commit, after confirmation', async () => {
    const confirm = await eddie.get(`/w/main/-/revert/${revisions[2]}`);
    expect(confirm.page.text('h1')).toBe(`Revert ${revisions[2]?.slice(0, 7)}?`);
    const done = await eddie.post(`/w/main/-/revert/${revisions[2]}`, { message: '' });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/w/main/Story');
    const view = await eddie.get('/w/main/Story');
    expect(view.page.text('.flash.ok')).toBe(`Reverted ${revisions[2]?.slice(0, 7)}.`);
    expect(view.page.text('.markdown')).toBe('line one line 2 line three');
    expect(view.page.text('.page-meta')).toContain(
      `Revert: ${revisions[2]?.slice(0, 7)} ([api] Update: Story)`,
    );
  });

  it('refuses to revert the creation of a page that changed since, saying why', async () => {
    const reply = await eddie.post(`/w/main/-/revert/${revisions[0]}`, {});
    expect(reply.status).toBe(409);
    expect(reply.page.text('.flash.error')).toContain('Story.md was created by it and changed since');
    expect((await eddie.get('/w/main/Story')).page.text('.markdown')).toBe('line one line 2 line three');
  });

  it('reverts an older commit by merging its inverse into the current page', async () => {
    const first = await web.put('Tale', 'a\nb\nc\nd\ne\n');
    const older = await web.put('Tale', 'a\nB\nc\nd\ne\n', first);
    await web.put('Tale', 'a\nB\nc\nd\nE\n', older);
    const done = await eddie.post(`/w/main/-/revert/${older}`, { message: '' });
    expect(done.status).toBe(303);
    const api = await web.server.call('GET', '/w/main/api/v1/pages/Tale', { token: await web.token() });
    expect(api.json.content).toBe('a\nb\nc\nd\nE\n');
  });

  it('explains a revert whose lines were changed again since, and changes nothing', async () => {
    const first = await web.put('Fable', 'a\nb\nc\n');
    const older = await web.put('Fable', 'a\nB\nc\n', first);
    const latest = await web.put('Fable', 'a\nB, and more\nc\n', older);
    const reply = await eddie.post(`/w/main/-/revert/${older}`, {});
    expect(reply.status).toBe(409);
    expect(reply.page.text('.flash.error')).toContain(
      'Fable.md changed again since then in the same lines (1 overlapping change)',
    );
    const api = await web.server.call('GET', '/w/main/api/v1/pages/Fable', { token: await web.token() });
    expect(api.json.revision).toBe(latest);
  });

  it('reverting a page deletion brings the page back', async () => {
    await web.put('Phoenix', 'rises');
    const deleted = await eddie.post(wikiPath('Phoenix', 'delete'), {});
    expect(deleted.status).toBe(303);
    const changelog = await eddie.get('/w/main/-/changelog');
    const latest = changelog.page.text('table.list tbody tr td a.sha');
    const undo = await eddie.post(`/w/main/-/revert/${latest}`, {});
    expect(undo.status).toBe(303);
    expect((await eddie.get('/w/main/Phoenix')).page.text('.markdown')).toBe('rises');
  });

  it('answers unknown revisions with a 404 page', async () => {
    expect((await eddie.get('/w/main/-/commit/deadbeefdeadbeef')).status).toBe(404);
    expect((await eddie.get(`/w/main/-/compare/Story?from=${revisions[0]}&to=abcdef1234`)).status).toBe(404);
    const bad = await eddie.get('/w/main/-/commit/HEAD~1');
    expect(bad.status).toBe(422);
  });
});
