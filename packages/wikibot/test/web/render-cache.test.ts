import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_LIMITS } from '../../src/domain/markdown/limits.js';
import { RenderCache } from '../../src/http/web/render-cache.js';
import type { Wiki } from '../../src/wiki/wiki.js';
import { WorkPool } from '../../src/work/pool.js';
import { AS_TESTER, openTestWiki } from './wiki-fixture.js';

describe('rendered page cache', () => {
  let wiki: Wiki;
  let close: () => Promise<void>;
  const pool = new WorkPool({ threads: 1, maxHeapMb: 256 });
  const settings = {
    pool,
    limits: { ...DEFAULT_RENDER_LIMITS, maxFootnotes: 3, maxWikiLinks: 3 },
    deadlineMs: 30_000,
  };
  beforeEach(async () => {
    ({ wiki, close } = await openTestWiki());
  });
  afterEach(() => close());
  afterAll(() => pool.close());

  const view = async (path: string) => {
    const page = await wiki.readPage(path);
    return { path: page.path, body: page.body, blob: page.blob };
  };

  it('renders a page once and serves the same HTML while its content is unchanged', async () => {
    await wiki.writePage('A', '# A\n\nSee [[B]].', AS_TESTER);
    const cache = new RenderCache(settings);
    const first = await cache.page(wiki, await view('A'));
    const size = cache.bytes;
    const second = await cache.page(wiki, await view('A'));
    expect(second).toBe(first);
    expect(cache.bytes).toBe(size);
    expect(first.html).toContain('class="wikilink missing"');
  });

  it('re-renders when a linked page appears or disappears, though the page itself did not change', async () => {
    await wiki.writePage('A', 'See [[B]].', AS_TESTER);
    const cache = new RenderCache(settings);
    expect((await cache.page(wiki, await view('A'))).html).toContain('wikilink missing');
    await wiki.writePage('B', 'here now', AS_TESTER);
    const after = await cache.page(wiki, await view('A'));
    expect(after.html).toContain('class="wikilink"');
    expect(after.html).not.toContain('missing');
    await wiki.deletePage('B', AS_TESTER);
    expect((await cache.page(wiki, await view('A'))).html).toContain('wikilink missing');
  });

  it('keeps the same content in two places apart: attachments resolve next to each page', async () => {
    await wiki.writePage('One', '![x](pic.png)', AS_TESTER);
    await wiki.writePage('Two/Deep', '![x](pic.png)', AS_TESTER);
    const cache = new RenderCache(settings);
    expect((await cache.page(wiki, await view('One'))).html).toContain('src="/w/main/One/pic.png"');
    expect((await cache.page(wiki, await view('Two/Deep'))).html).toContain('src="/w/main/Two/Deep/pic.png"');
  });

  it('stays within its byte budget, letting the least recently used pages go', async () => {
    const filler = 'word '.repeat(400);
    for (let i = 0; i < 6; i++) await wiki.writePage(`P${i}`, `${filler}${i}`, AS_TESTER);
    const cache = new RenderCache(settings, 12_000);
    const first = await cache.page(wiki, await view('P0'));
    for (let i = 1; i < 6; i++) {
      await cache.page(wiki, await view(`P${i}`));
      expect(cache.bytes).toBeLessThanOrEqual(12_000);
    }
    expect(await cache.page(wiki, await view('P0'))).not.toBe(first);
  });

  it('shows a page over a limit as its escaped source with a notice naming the limit', async () => {
    const notes = Array.from({ length: 4 }, (_, i) => `<b>x</b>[^${i}]\n\n[^${i}]: note`).join('\n\n');
    await wiki.writePage('Notes', notes, AS_TESTER);
    const rendered = await new RenderCache(settings).page(wiki, await view('Notes'));
    expect(rendered.limitExceeded).toBe(
      'Too much to render: 4 footnotes, the limit is 3 (render.max_footnotes).',
    );
    expect(rendered.html).toContain('render.max_footnotes');
    expect(rendered.html).toContain('&lt;b&gt;x&lt;/b&gt;[^0]');
    expect(rendered.html).not.toContain('<b>');
  });

  it('looks up at most the wikilink limit of targets, and shows a page with more as its source', async () => {
    await wiki.writePage('Linky', '[[A]] [[B]] [[C]] [[A]]', AS_TESTER);
    await wiki.writePage('Linkier', '[[A]] [[B]] [[C]] [[D]]', AS_TESTER);
    const cache = new RenderCache(settings);
    expect((await cache.page(wiki, await view('Linky'))).limitExceeded).toBeNull();
    expect((await cache.page(wiki, await view('Linkier'))).limitExceeded).toBe(
      'Too much to render: 4 distinct wikilink targets, the limit is 3 (render.max_wikilinks).',
    );
  });
});
