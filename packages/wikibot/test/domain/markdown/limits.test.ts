import MarkdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { describe, expect, it } from 'vitest';
import { linearFootnoteTailPlugin } from '../../../src/domain/markdown/footnote-tail.js';
import { DEFAULT_RENDER_LIMITS, RenderLimitExceeded } from '../../../src/domain/markdown/limits.js';
import { renderMarkdown } from '../../../src/domain/markdown/render.js';
import type { RenderOptions } from '../../../src/domain/markdown/types.js';
import { wikiLinkTargets } from '../../../src/domain/markdown/wikilink-rule.js';

const options: RenderOptions = { resolveWikiLink: (target) => ({ href: `/w/main/${target}`, exists: true }) };

function limitOf(markdown: string, limits: Partial<typeof DEFAULT_RENDER_LIMITS>): RenderLimitExceeded {
  try {
    renderMarkdown(markdown, { ...options, limits: { ...DEFAULT_RENDER_LIMITS, ...limits } });
  } catch (error) {
    if (error instanceof RenderLimitExceeded) return error;
    throw error;
  }
  throw new Error('rendered within the limits');
}

describe('footnotes in linear time', () => {
  it('produces exactly the HTML of markdown-it-footnote', () => {
    const markdown = [
      'One[^a], again[^a], inline^[an *inline* note], a missing[^nope] and [^b].',
      '',
      '[^a]: First *note*.',
      '',
      '    A second paragraph of it.',
      '',
      '[^b]: - a list',
      '      - in a note',
      '',
      '[^a]: A duplicate label.',
      '',
      '> Quoted[^c]',
      '',
      '[^c]: ```',
      '    code',
      '    ```',
    ].join('\n');
    const plugin = new MarkdownIt().use(footnote);
    const ours = new MarkdownIt().use(footnote).use(linearFootnoteTailPlugin);
    expect(ours.render(markdown)).toBe(plugin.render(markdown));
    expect(ours.render('No notes here.')).toBe(plugin.render('No notes here.'));
  });
});

describe('render limits', () => {
  it('counts footnotes, formulas and raw HTML tags before rendering them', () => {
    const notes = Array.from({ length: 6 }, (_, i) => `x[^${i}]\n\n[^${i}]: note`).join('\n\n');
    expect(limitOf(notes, { maxFootnotes: 5 })).toMatchObject({ limit: 'maxFootnotes', found: 6, max: 5 });
    expect(limitOf('$a$ $b$\n\n$$c$$\n\n```math\nd\n```', { maxMath: 3 })).toMatchObject({
      limit: 'maxMath',
      found: 4,
    });
    expect(limitOf('<div>\n<div>\n<p>x</p>\n\ntext <b>bold</b>', { maxHtmlTags: 5 })).toMatchObject({
      limit: 'maxHtmlTags',
      found: 6,
    });
  });

  it('does not count code that only shows HTML or dollars', () => {
    const markdown = '```html\n<div><div><div>\n```\n\n`<b>` costs $5 and $6';
    expect(() =>
      renderMarkdown(markdown, {
        ...options,
        limits: { ...DEFAULT_RENDER_LIMITS, maxHtmlTags: 0, maxMath: 1 },
      }),
    ).not.toThrow();
  });

  it('bounds the rendered HTML, which references can make far larger than the source', () => {
    const markdown = `[x]: https://example.com/${'a'.repeat(1000)}\n\n${'[a][x] '.repeat(2000)}`;
    const exceeded = limitOf(markdown, { maxHtmlBytes: 1024 * 1024 });
    expect(exceeded.limit).toBe('maxHtmlBytes');
    expect(exceeded.found).toBeGreaterThan(2_000_000);
    expect(exceeded.message).toMatch(
      /bytes of rendered HTML, the limit is 1,048,576 \(render\.max_html_bytes\)/,
    );
  });

  it('names the limit and its setting in the message', () => {
    const markdown = Array.from({ length: 3 }, (_, i) => `$x_${i}$`).join(' ');
    expect(limitOf(markdown, { maxMath: 2 }).message).toBe(
      'Too much to render: 3 math formulas, the limit is 2 (render.max_math).',
    );
  });
});

describe('wikiLinkTargets', () => {
  it('lists every page a render resolves, in either link style', () => {
    const markdown = '[[Home]] [[Title|Foo/Bar]] [[Other#part]] [[#local]] [[a\nb]] [[[Nested]]] `[[Code]]`';
    expect([...wikiLinkTargets(markdown, 'title-page')].sort()).toEqual(
      ['Code', 'Foo/Bar', 'Home', 'Nested', 'Other'].sort(),
    );
    expect(wikiLinkTargets('[[Page|Title]]', 'page-title')).toEqual(new Set(['Page']));
    const resolved: string[] = [];
    renderMarkdown('[[Home]] [[Title|Foo/Bar]] [[Other#part]] [[[Nested]]] | [[T\\|Cell]]', {
      resolveWikiLink: (target) => {
        resolved.push(target);
        return { href: `/${target}`, exists: true };
      },
    });
    const targets = wikiLinkTargets(
      '[[Home]] [[Title|Foo/Bar]] [[Other#part]] [[[Nested]]] | [[T\\|Cell]]',
      'title-page',
    );
    for (const target of resolved) expect(targets).toContain(target);
  });
});
