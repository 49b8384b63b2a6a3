import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attrOf } from './html.js';
import { startWebServer, Visitor, type WebServer, wikiPath } from './support.js';

describe('web UI pages', () => {
  let web: WebServer;
  let eddie: Visitor;
  beforeAll(async () => {
    web = await startWebServer();
    eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
  });
  afterAll(() => web.stop());

  it('shows a page with breadcrumbs, contents, properties, backlinks and red links', async () => {
    await web.put(
      'Guides/Setup',
      '---\ncategory: howto\ntags: [install, ops]\nowner: infra\n---\n# Setup\n\nRead [[Guides/Intro]] and [[Nowhere Yet]].\n\n## Install\n\nx\n\n## Configure\n\ny\n',
    );
    await web.put('Guides/Intro', '# Intro\n\nNext: [[the setup guide|Guides/Setup]].');
    const { status, page } = await eddie.get('/w/main/Guides/Setup');
    expect(status).toBe(200);
    expect(page.texts('.breadcrumbs li')).toEqual(['Guides', 'Setup']);
    expect(page.text('h1.page-title')).toBe('Setup');
    expect(page.texts('.toc a')).toEqual(['Install', 'Configure']);
    expect(page.attr('a.wikilink.missing', 'href')).toBe('/w/main/Nowhere%20Yet');
    expect(page.attr('.markdown a.wikilink', 'href')).toBe('/w/main/Guides/Intro');
    expect(page.texts('.properties dt')).toEqual(['category', 'tags', 'owner']);
    expect(page.texts('.properties a.tag')).toEqual(['install', 'ops']);
    expect(page.texts('.backlinks li')).toEqual(['Guides/Intro']);
    expect(page.all('.sidebar a[aria-current=page]').map((a) => page.text(a))).toEqual(['Setup']);
  });

  it('shows one title: a first heading that differs from the page name replaces it', async () => {
    await web.put('Guides/Naming', '# How we name things\n\nText.\n\n## Rules\n\nr\n');
    const { page } = await eddie.get('/w/main/Guides/Naming');
    expect(page.texts('h1')).toEqual(['How we name things']);
    expect(page.text('.markdown')).toBe('Text. Rules r');
    expect(page.texts('.breadcrumbs li')).toEqual(['Guides', 'Naming']);
  });

  it('expands sidebar folders in place: the current page’s folder open, the others closed', async () => {
    await web.put('Archive/Old Plan', 'old');
    await web.put('Archive/2024/Q1/Report', 'deep');
    const { page } = await eddie.get('/w/main/Guides/Setup');
    // Inside a closed folder, a subfolder links to its list of pages instead of nesting further.
    expect(page.attr('.sidebar a.folder', 'href')).toBe('/w/main/Archive/2024');
    expect(page.has('.sidebar a[href="/w/main/Archive/2024/Q1/Report"]')).toBe(false);
    const open = page.all('.sidebar details[open] summary').map((s) => page.text(s));
    expect(open).toEqual(['Guides/']);
    const closed = page
      .all('.sidebar details')
      .filter((d) => attrOf(d, 'open') === undefined)
      .map((d) => page.text(d));
    expect(closed).toContainEqual('Archive/2024/Old Plan');
  });

  it('opens a breadcrumb’s parent folder as the list of its pages, not a missing page', async () => {
    const { page } = await eddie.get('/w/main/Guides/Setup');
    const parent = page.attr('.breadcrumbs a', 'href') ?? '';
    const folder = await eddie.get(parent);
    expect(folder.status).toBe(200);
    expect(folder.page.text('main')).not.toContain('does not exist yet');
    expect(folder.page.texts('.folder-pages a')).toEqual(expect.arrayContaining(['Setup', 'Intro']));
  });

  it('turns a red link green once the page exists (the render cache notices)', async () => {
    await eddie.get('/w/main/Guides/Setup');
    await web.put('Nowhere Yet', 'now here');
    const { page } = await eddie.get('/w/main/Guides/Setup');
    expect(page.has('a.wikilink.missing')).toBe(false);
  });

  it('offers to create a missing page, then creates it from the editor', async () => {
    const missing = await eddie.get('/w/main/Brand%20New');
    expect(missing.status).toBe(404);
    expect(missing.page.attr('a[data-shortcut=e]', 'href')).toBe('/w/main/-/edit/Brand%20New');
    const form = await eddie.get(wikiPath('Brand New', 'edit'));
    expect(form.status).toBe(200);
    expect(form.page.attr('input[name=revision]', 'value')).toBe('');
    const saved = await eddie.post(wikiPath('Brand New', 'edit'), {
      content: '# Brand New\r\n\r\nFresh text.\r\n',
      revision: '',
      message: 'first draft',
      action: 'save',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/w/main/Brand%20New');
    const view = await eddie.get('/w/main/Brand%20New');
    expect(view.page.text('.flash.ok')).toBe('Created Brand New.');
    expect(view.page.text('.markdown')).toBe('Fresh text.');
    expect(view.page.text('.page-meta')).toContain('first draft');
    expect(view.page.text('.page-meta')).not.toContain('[web]');
    const api = await web.server.call('GET', '/w/main/api/v1/pages/Brand%20New', {
      token: await web.token(),
    });
    expect(api.json.content).toBe('# Brand New\n\nFresh text.\n');
    expect(api.json.last_commit.author).toBe('eddie');
  });

  it('previews without saving when the browser has no JavaScript', async () => {
    const before = await eddie.get(wikiPath('Brand New', 'edit'));
    const revision = before.page.attr('input[name=revision]', 'value') ?? '';
    const preview = await eddie.post(wikiPath('Brand New', 'edit'), {
      content: 'Preview **this** and [[Missing Page]]',
      revision,
      action: 'preview',
    });
    expect(preview.status).toBe(200);
    expect(preview.page.text('.editor-preview strong')).toBe('this');
    expect(preview.page.has('.editor-preview a.wikilink.missing')).toBe(true);
    expect(preview.page.text('textarea[name=content]')).toBe('Preview **this** and [[Missing Page]]');
    expect((await eddie.get('/w/main/Brand%20New')).page.text('.markdown')).toBe('Fresh text.');
  });

  it('keeps the text and names the limit when a no-JavaScript preview is over a render limit', async () => {
    const content = Array.from({ length: 1001 }, (_, i) => `$x_{${i}}$`).join(' ');
    const preview = await eddie.post(wikiPath('Brand New', 'edit'), { content, action: 'preview' });
    expect(preview.status).toBe(422);
    expect(preview.text).toContain(
      'Too much to render: 1,001 math formulas, the limit is 1,000 (render.max_math).',
    );
    expect(preview.page.text('textarea[name=content]')).toBe(content);
    expect(preview.page.attr('.editor-preview', 'hidden')).toBeDefined();
  });

  it('loads the math stylesheet on the editor, so the live preview shows formulas once', async () => {
    const { page } = await eddie.get(wikiPath('Brand New', 'edit'));
    const sheets = page.all('link[rel=stylesheet]').map((link) => attrOf(link, 'href') ?? '');
    expect(sheets.some((href) => /\/katex\.css$/.test(href))).toBe(true);
  });

  it('answers the editor script’s preview request with sanitized HTML', async () => {
    const reply = await eddie.post(wikiPath('Brand New', 'preview'), {
      content: '# Hi\n\n<script>alert(1)</script><b onclick="x()">bold</b>',
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('<b>bold</b>');
    expect(reply.text).not.toContain('<script');
    expect(reply.text).not.toContain('onclick');
  });

  it('merges an edit with changes saved meanwhile when they do not overlap', async () => {
    const start = await web.put('Merged', 'one\ntwo\nthree\nfour\nfive\n');
    const mine = await eddie.get(wikiPath('Merged', 'edit'));
    expect(mine.page.attr('input[name=revision]', 'value')).toBe(start);
    await web.put('Merged', 'ONE by them\ntwo\nthree\nfour\nfive\n', start);
    const saved = await eddie.post(wikiPath('Merged', 'edit'), {
      content: 'one\ntwo\nthree\nfour\nFIVE by me\n',
      revision: start,
      action: 'save',
    });
    expect(saved.status).toBe(303);
    const view = await eddie.get('/w/main/Merged');
    expect(view.page.text('.flash.ok')).toBe('Saved, merged with the changes saved meanwhile.');
    const api = await web.server.call('GET', '/w/main/api/v1/pages/Merged', { token: await web.token() });
    expect(api.json.content).toBe('ONE by them\ntwo\nthree\nfour\nFIVE by me\n');
  });

  it('shows overlapping edits with both sides marked and never saves over an unseen revision', async () => {
    const start = await web.put('Shared', 'original\n');
    const theirs = await web.put('Shared', 'their change\n', start);
    const conflict = await eddie.post(wikiPath('Shared', 'edit'), {
      content: 'my change\n',
      revision: start,
      action: 'save',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.page.text('.flash.error')).toContain('changed by someone else');
    expect(conflict.page.text('.flash.error')).toContain('<<<<<<< your edit');
    expect(conflict.page.attr('.flash.error a', 'href')).toBe(
      `/w/main/-/compare/Shared?from=${start}&to=${theirs}`,
    );
    expect(conflict.page.rawText('textarea[name=content]')).toBe(
      `<<<<<<< your edit\nmy change\n=======\ntheir change\n>>>>>>> saved meanwhile (${theirs.slice(0, 7)})\n`,
    );
    expect(conflict.page.attr('input[name=revision]', 'value')).toBe(theirs);
    const unresolved = await eddie.post(wikiPath('Shared', 'edit'), {
      content: conflict.page.rawText('textarea[name=content]'),
      revision: theirs,
      action: 'save',
    });
    expect(unresolved.status).toBe(422);
    expect(unresolved.page.text('.flash.error')).toContain('still holds conflict markers');
    // A third edit lands before the conflict is resolved: the resolution is checked against it too.
    const third = await web.put('Shared', 'a third change\n', theirs);
    const again = await eddie.post(wikiPath('Shared', 'edit'), {
      content: 'my change, resolved\n',
      revision: theirs,
      action: 'save',
    });
    expect(again.status).toBe(409);
    expect(again.page.attr('input[name=revision]', 'value')).toBe(third);
    expect(again.page.text('textarea[name=content]')).toContain('a third change');
    const resolved = await eddie.post(wikiPath('Shared', 'edit'), {
      content: 'my change, resolved\n',
      revision: third,
      action: 'save',
    });
    expect(resolved.status).toBe(303);
  });

  it('explains a rejected page name on the editor instead of losing the text', async () => {
    const reply = await eddie.post('/w/main/-/edit/Bad%5CName', {
      content: 'text to keep',
      revision: '',
      action: 'save',
    });
    expect(reply.status).toBe(422);
    expect(reply.page.text('.flash.error')).toMatch(/backslash/i);
    expect(reply.page.text('textarea[name=content]')).toBe('text to keep');
  });

  it('goes from the new-page form to the editor, refusing bad names', async () => {
    expect((await eddie.get('/w/main/-/create')).page.has('input[name=path]')).toBe(true);
    const go = await eddie.get('/w/main/-/create?path=Projects%2FRoadmap');
    expect(go.status).toBe(303);
    expect(go.location).toBe('/w/main/-/edit/Projects/Roadmap');
    const bad = await eddie.get('/w/main/-/create?path=api%2Fx');
    expect(bad.status).toBe(422);
    expect(bad.page.text('.flash.error')).toMatch(/reserved/i);
  });

  it('renames a page and rewrites the links to it in the same commit', async () => {
    await web.put('Old Name', '# Old Name\n\ncontent');
    await web.put('Linker', 'See [[Old Name]] and [[the old one|Old Name#part]].');
    const form = await eddie.get(wikiPath('Old Name', 'rename'));
    expect(form.page.text('main p')).toContain('Links in 1 page will be updated');
    const done = await eddie.post(wikiPath('Old Name', 'rename'), { new_path: 'New Name', message: '' });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/w/main/New%20Name');
    const view = await eddie.get('/w/main/New%20Name');
    expect(view.page.text('.flash.ok')).toBe('Renamed Old Name to New Name; links updated in 1 page.');
    const linker = await eddie.get('/w/main/Linker');
    expect(
      linker.page.all('.markdown a.wikilink').map((a) => a.attrs.find((x) => x.name === 'href')?.value),
    ).toEqual(['/w/main/New%20Name', '/w/main/New%20Name#part']);
    expect((await eddie.get('/w/main/Old%20Name')).status).toBe(404);
  });

  it('refuses renaming onto an existing page and says why', async () => {
    await web.put('Taken', 'x');
    const reply = await eddie.post(wikiPath('Linker', 'rename'), { new_path: 'Taken' });
    expect(reply.status).toBe(409);
    expect(reply.page.text('.flash.error')).toContain('already exists');
  });

  it('deletes a page after confirmation', async () => {
    await web.put('Doomed', 'bye');
    await web.put('Fan', 'I link to [[Doomed]].');
    const confirm = await eddie.get(wikiPath('Doomed', 'delete'));
    expect(confirm.page.text('h1')).toBe('Delete Doomed?');
    expect(confirm.page.text('.linked-from p')).toContain('1 page links here');
    expect(confirm.page.texts('.linked-from li')).toEqual(['Fan']);
    const done = await eddie.post(wikiPath('Doomed', 'delete'), { message: 'cleanup' });
    expect(done.status).toBe(303);
    expect((await eddie.get('/w/main/Doomed')).status).toBe(404);
  });

  it('escapes page titles and properties: markup in frontmatter is text', async () => {
    await web.put(
      'Sneaky',
      '---\ntitle: "<img src=x onerror=alert(1)>"\nnote: "<script>alert(2)</script>"\n---\nbody',
    );
    const { text, page } = await eddie.get('/w/main/Sneaky');
    expect(page.text('h1.page-title')).toBe('<img src=x onerror=alert(1)>');
    expect(text).not.toContain('<img src=x');
    expect(text).not.toContain('<script>alert(2)');
  });

  it('shows an old revision with a notice', async () => {
    const first = await web.put('Versions', 'version one');
    await web.put('Versions', 'version two', first);
    const old = await eddie.get(`/w/main/Versions?revision=${first}`);
    expect(old.page.text('.markdown')).toBe('version one');
    expect(old.page.text('.flash.warn')).toContain('old revision');
  });

  it('sends security headers with every page', async () => {
    const { headers } = await eddie.get('/w/main/Versions');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('cache-control')).toBe('no-store');
  });
});
