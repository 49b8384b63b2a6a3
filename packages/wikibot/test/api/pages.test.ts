import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

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

const page = (path: string) => `/w/main/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
const put = (path: string, body: unknown) => server.call('PUT', page(path), { token: writer, body });
const get = (path: string, query = '') => server.call('GET', `${page(path)}${query}`, { token: writer });

describe('PUT /pages/<path>', () => {
  it('creates a page with 201 and returns name, path, a 40-hex revision and created', async () => {
    const res = await put('Notes/First', { content: '# First\n\nHello' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      name: 'First',
      path: 'Notes/First',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      created: true,
    });
  });

  it('updates with the current revision (200, created false) and commits with the default message', async () => {
    const created = await put('Upd', { content: 'v1' });
    const updated = await put('Upd', { content: 'v2', revision: created.json.revision.slice(0, 7) });
    expect(updated.status).toBe(200);
    expect(updated.json.created).toBe(false);
    const read = await get('Upd');
    expect(read.json.content).toBe('v2');
    expect(read.json.last_commit.message).toBe('[api] Update: Upd');
    expect(read.json.revision).toBe(updated.json.revision);
  });

  it('requires a revision to update an existing page (409 with the current revision) and loses nothing', async () => {
    const created = await put('Locked', { content: 'original' });
    const res = await put('Locked', { content: 'clobber' });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe(
      'Revision required when updating an existing page. Read the page first to get the current revision.',
    );
    expect(res.json.current_revision).toBe(created.json.revision);
    expect((await get('Locked')).json.content).toBe('original');
  });

  it('refuses a revision shorter than 7 characters with 422', async () => {
    const created = await put('Short', { content: 'x' });
    const res = await put('Short', { content: 'y', revision: created.json.revision.slice(0, 6) });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('revision must be at least 7 characters');
  });

  it('answers a stale revision with 409 and the current revision', async () => {
    const first = await put('Stale', { content: 'one' });
    const second = await put('Stale', { content: 'two', revision: first.json.revision });
    const res = await put('Stale', { content: 'three', revision: first.json.revision });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      error: 'Revision mismatch: page has been modified since last read.',
      current_revision: second.json.revision,
    });
    expect((await get('Stale')).json.content).toBe('two');
  });

  it('accepts If-Match as the revision', async () => {
    const created = await put('Etag', { content: 'one' });
    const res = await server.call('PUT', page('Etag'), {
      token: writer,
      body: { content: 'two' },
      headers: { 'if-match': `"${created.json.revision}"` },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a body without content (422) and malformed JSON (422)', async () => {
    const missing = await put('NoContent', { commit_message: 'x' });
    expect(missing.status).toBe(422);
    expect(missing.json.error).toBe("Request body must include 'content' field");
    const malformed = await server.call('PUT', page('NoContent'), { token: writer, body: '{"content": ' });
    expect(malformed.status).toBe(422);
    expect(malformed.json.error).toBe('Request body must be valid JSON');
    const wrongType = await put('NoContent', { content: 42 });
    expect(wrongType.status).toBe(422);
    expect(wrongType.json.error).toBe("'content' must be a string");
  });

  it('uses the caller commit message as-is', async () => {
    await put('Msg', { content: 'x', commit_message: 'Write the first draft' });
    expect((await get('Msg')).json.last_commit.message).toBe('Write the first draft');
  });

  it('records the token name as the commit author', async () => {
    await put('Authored', { content: 'x' });
    expect((await get('Authored')).json.last_commit.author).toBe('test wiki:read wiki:write');
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await put('Huge', { content: 'x'.repeat(3 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/too large/);
  });
});

describe('page names', () => {
  const rejected: [string, string, RegExp][] = [
    ['dot segment', 'a/./b', /'\.'/],
    ['dot-dot segment', 'a/../b', /'\.\.'/],
    ['leading dot', 'a/.hidden', /start with '\.'|starting with/],
    ['backslash', 'a\\b', /backslash/i],
    ['control character', 'a\u0001b', /control/i],
    ['NUL', 'a\u0000b', /control|NUL/i],
    ['reserved api', 'api/x', /reserved/i],
    ['reserved mcp', 'mcp', /reserved/i],
    ['reserved dash', '-/x', /reserved/i],
    ['reserved well-known', '.well-known/x', /reserved|start with/i],
    ['long segment', 'x'.repeat(256), /255/],
    ['long path', Array.from({ length: 11 }, () => 'y'.repeat(100)).join('/'), /1024/],
    ['empty segment', 'a//b', /empty/i],
  ];
  for (const [label, path, message] of rejected) {
    it(`rejects ${label} with 422 naming the rule`, async () => {
      const encoded = path
        .split('/')
        .map((segment) => (segment === '.' || segment === '..' ? segment : encodeURIComponent(segment)));
      const res = await server.raw('PUT', `/w/main/api/v1/pages/${encoded.join('/')}`, {
        token: writer,
        body: { content: 'x' },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(422);
      expect(res.json.error).toMatch(message);
    });
  }

  it('rejects the same names as a rename target', async () => {
    await put('Renamable', { content: 'x' });
    const res = await server.call('POST', `${page('Renamable')}/rename`, {
      token: writer,
      body: { new_path: 'a/../b' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatch(/'\.\.'/);
  });

  it('finds pages case-insensitively and keeps the written case', async () => {
    await put('NAS Setup', { content: 'disks' });
    const res = await get('nas setup');
    expect(res.status).toBe(200);
    expect(res.json.path).toBe('NAS Setup');
    expect(res.json.name).toBe('NAS Setup');
  });
});

describe('GET /pages/<path>', () => {
  it('returns every field with frontmatter and links both ways', async () => {
    await put('Target', { content: '# Target' });
    await put('Source', {
      content: '---\ntitle: The Source\ntags: [a, b]\n---\nSee [[Target]] and [[Missing Page]].',
    });
    const res = await get('Source');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'The Source',
      path: 'Source',
      frontmatter: { title: 'The Source', tags: ['a', 'b'] },
      links_to: ['Missing Page', 'Target'],
      linked_from: [],
    });
    expect(res.json.content.startsWith('---\ntitle: The Source')).toBe(true);
    expect(res.json.last_commit).toEqual({
      revision: res.json.revision,
      author: expect.any(String),
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/),
      message: '[api] Create: Source',
    });
    expect((await get('Target')).json.linked_from).toEqual(['Source']);
  });

  it('counts Markdown links to pages as links, relative ones from the page folder', async () => {
    await put('Docs/Guide', { content: '# Guide' });
    await put('Docs/Intro', {
      content: 'Read [the guide](Guide.md), [home](/Home#top), [up](../Top) and [x](https://example.com/A).',
    });
    const res = await get('Docs/Intro');
    expect(res.json.links_to).toEqual(['Docs/Guide', 'Home', 'Top']);
    expect((await get('Docs/Guide')).json.linked_from).toEqual(['Docs/Intro']);
  });

  it('answers 404 with the otterwiki message', async () => {
    const res = await get('Nowhere');
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('Page not found: Nowhere');
  });

  it('reads an old version with ?revision', async () => {
    const v1 = await put('Versioned', { content: 'version one' });
    await put('Versioned', { content: 'version two', revision: v1.json.revision });
    const old = await get('Versioned', `?revision=${v1.json.revision.slice(0, 10)}`);
    expect(old.status).toBe(200);
    expect(old.json.content).toBe('version one');
    expect(old.json.revision).toBe(v1.json.revision);
    const bad = await get('Versioned', '?revision=zzzzzzzz');
    expect(bad.status).toBe(422);
    const unknown = await get('Versioned', `?revision=${'0'.repeat(40)}`);
    expect(unknown.status).toBe(404);
  });

  it('serves ETag and answers If-None-Match with 304', async () => {
    await put('Cached', { content: 'x' });
    const first = await get('Cached');
    const etag = first.headers.get('etag') as string;
    expect(etag).toBe(`"${first.json.revision}"`);
    const again = await server.call('GET', page('Cached'), {
      token: writer,
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('adds sanitized HTML with ?format=html, red links for missing pages', async () => {
    await put('Rendered', {
      content: '---\ntitle: R\n---\n# Heading\n\nSee [[Nowhere Yet]] and <img src=x onerror=alert(1)>.\n',
    });
    const res = await get('Rendered', '?format=html');
    expect(res.status).toBe(200);
    expect(res.json.html).toContain('<h1 id="heading">Heading</h1>');
    expect(res.json.html).toMatch(/class="wikilink missing"/);
    expect(res.json.html).not.toContain('onerror');
    expect(res.json.content.startsWith('---\ntitle: R')).toBe(true);
    expect((await get('Rendered', '?format=pdf')).status).toBe(422);
  });

  it('answers ?format=html for a page over a render limit with 422 naming the limit', async () => {
    const notes = Array.from({ length: 2001 }, (_, i) => `x[^${i}]\n\n[^${i}]: note`).join('\n\n');
    await put('Footnoted', { content: notes });
    const res = await get('Footnoted', '?format=html');
    expect(res.status).toBe(422);
    expect(res.json.error).toBe(
      'Too much to render: 2,001 footnotes, the limit is 2,000 (render.max_footnotes).',
    );
    expect((await get('Footnoted')).json.content).toBe(notes);
  });

  it('returns one section with ?section', async () => {
    await put('Sectioned', { content: '# Top\n\n## Install\n\nsteps\n\n## Use\n\nrun it\n' });
    const res = await get('Sectioned', '?section=install');
    expect(res.status).toBe(200);
    expect(res.json.content).toContain('steps');
    expect(res.json.content).not.toContain('run it');
    const missing = await get('Sectioned', '?section=nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatch(/Available sections/);
  });
});

describe('PATCH /pages/<path>', () => {
  const patch = (path: string, body: unknown) => server.call('PATCH', page(path), { token: writer, body });

  it('replaces the one occurrence and returns the new revision', async () => {
    const created = await put('Patchable', { content: 'alpha beta gamma' });
    const res = await patch('Patchable', {
      revision: created.json.revision,
      old_string: 'beta',
      new_string: 'BETA',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      name: 'Patchable',
      path: 'Patchable',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect((await get('Patchable')).json.content).toBe('alpha BETA gamma');
    expect((await get('Patchable')).json.last_commit.message).toBe('[api] Edit: Patchable');
  });

  it('refuses an absent string, an ambiguous one with its count, and identical strings (422)', async () => {
    const created = await put('Ambig', { content: 'x and x and x' });
    const rev = created.json.revision;
    const absent = await patch('Ambig', { revision: rev, old_string: 'y', new_string: 'z' });
    expect(absent.status).toBe(422);
    expect(absent.json.error).toBe('old_string not found in page content');
    const ambiguous = await patch('Ambig', { revision: rev, old_string: 'x', new_string: 'z' });
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.json.error).toBe(
      'old_string is ambiguous: found 3 occurrences. Provide a longer unique string.',
    );
    const identical = await patch('Ambig', { revision: rev, old_string: 'x', new_string: 'x' });
    expect(identical.status).toBe(422);
    expect(identical.json.error).toBe('old_string and new_string are identical');
    const missingField = await patch('Ambig', { revision: rev, old_string: 'x' });
    expect(missingField.status).toBe(422);
    expect(missingField.json.error).toBe('Missing required field: new_string');
  });

  it('answers a stale revision with 409 and a missing page with 404', async () => {
    const v1 = await put('PatchStale', { content: 'one two' });
    await put('PatchStale', { content: 'one three', revision: v1.json.revision });
    const stale = await patch('PatchStale', {
      revision: v1.json.revision,
      old_string: 'one',
      new_string: '1',
    });
    expect(stale.status).toBe(409);
    expect(stale.json.current_revision).toMatch(/^[0-9a-f]{40}$/);
    const missing = await patch('NoSuchPage', {
      revision: v1.json.revision,
      old_string: 'a',
      new_string: 'b',
    });
    expect(missing.status).toBe(404);
  });
});

describe('DELETE /pages/<path>', () => {
  it('deletes the page and returns deleted + path; then 404', async () => {
    await put('Doomed', { content: 'bye' });
    const res = await server.call('DELETE', page('doomed'), {
      token: writer,
      body: { commit_message: 'Remove it' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deleted: true, path: 'Doomed' });
    expect((await get('Doomed')).status).toBe(404);
    expect((await server.call('DELETE', page('Doomed'), { token: writer })).status).toBe(404);
  });
});

describe('history', () => {
  it('lists the commits of one page newest first, with limit', async () => {
    const v1 = await put('Hist', { content: '1' });
    const v2 = await put('Hist', { content: '2', revision: v1.json.revision });
    const v3 = await put('Hist', { content: '3', revision: v2.json.revision });
    const res = await server.call('GET', `${page('Hist')}/history`, { token: writer });
    expect(res.status).toBe(200);
    expect(res.json.path).toBe('Hist');
    expect(res.json.history.map((h: any) => h.revision)).toEqual([
      v3.json.revision,
      v2.json.revision,
      v1.json.revision,
    ]);
    const limited = await server.call('GET', `${page('Hist')}/history?limit=1`, { token: writer });
    expect(limited.json.history).toHaveLength(1);
    expect((await server.call('GET', `${page('Nope')}/history`, { token: writer })).status).toBe(404);
  });
});
