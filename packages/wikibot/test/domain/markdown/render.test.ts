import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/domain/markdown/render.js';
import type { RenderOptions } from '../../../src/domain/markdown/types.js';
import { attr, elementsOf, parseBody } from './html-inspect.js';

const existingPages = new Set(['Home', 'Foo/Bar']);

function options(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return {
    resolveWikiLink: (target) => ({
      href: `/w/main/${target.split('/').map(encodeURIComponent).join('/')}`,
      exists: existingPages.has(target),
    }),
    ...overrides,
  };
}

function html(markdown: string, overrides: Partial<RenderOptions> = {}): string {
  return renderMarkdown(markdown, options(overrides)).html;
}

function elements(markdown: string) {
  return [...elementsOf(parseBody(html(markdown)))];
}

describe('CommonMark', () => {
  it('renders emphasis, code spans, lists and allowed raw HTML', () => {
    expect(html('**bold** *em* `a<b` <kbd>Ctrl</kbd>\n\n1. one\n2. two')).toBe(
      '<p><strong>bold</strong> <em>em</em> <code>a&lt;b</code> <kbd>Ctrl</kbd></p>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n',
    );
  });

  it('renders Markdown inside raw <details> and strips classes the renderer does not emit', () => {
    expect(html('<details><summary>More</summary>\n\nHidden *text*\n\n</details>')).toBe(
      '<details><summary>More</summary>\n<p>Hidden <em>text</em></p>\n</details>',
    );
    expect(html('<span class="evil wikilink" style="color:red">x</span>')).toBe(
      '<p><span class="wikilink">x</span></p>\n',
    );
  });

  it('refuses a body that is not a string with a clear error', () => {
    expect(() => renderMarkdown(undefined as unknown as string, options())).toThrow(
      /markdownBody must be a string, got undefined/,
    );
  });
});

describe('GFM extensions', () => {
  it('renders tables with column alignment as align attributes', () => {
    expect(
      html('| Left | Center | Right | None |\n|:-----|:------:|------:|------|\n| a | b | c | d |'),
    ).toBe(
      '<table>\n<thead>\n<tr>\n<th align="left">Left</th>\n<th align="center">Center</th>\n' +
        '<th align="right">Right</th>\n<th>None</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n' +
        '<td align="left">a</td>\n<td align="center">b</td>\n<td align="right">c</td>\n<td>d</td>\n' +
        '</tr>\n</tbody>\n</table>\n',
    );
  });

  it('renders task lists with disabled checkboxes', () => {
    expect(html('- [x] done\n- [ ] todo\n- plain')).toBe(
      '<ul class="task-list-container">\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" id="task-item-0" checked="checked" disabled="disabled" /><label class="task-list-item-label" for="task-item-0"> done</label></li>\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" id="task-item-1" disabled="disabled" /><label class="task-list-item-label" for="task-item-1"> todo</label></li>\n' +
        '<li>plain</li>\n</ul>\n',
    );
  });

  it('renders ~~strikethrough~~', () => {
    expect(html('~~gone~~ stays')).toBe('<p><s>gone</s> stays</p>\n');
  });

  it('autolinks URLs, www. hosts and e-mail addresses but not file names', () => {
    expect(
      html(
        '<https://example.com/a?b=1> https://example.org/x www.example.net notes.md setup.py me@example.com',
      ),
    ).toBe(
      '<p><a href="https://example.com/a?b=1">https://example.com/a?b=1</a> ' +
        '<a href="https://example.org/x">https://example.org/x</a> ' +
        '<a href="http://www.example.net">www.example.net</a> notes.md setup.py ' +
        '<a href="mailto:me@example.com">me@example.com</a></p>\n',
    );
  });

  it('renders footnotes with references and back references', () => {
    expect(html('Claim[^src].\n\n[^src]: Source text.')).toBe(
      '<p>Claim<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>\n' +
        '<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">\n' +
        '<li id="fn1" class="footnote-item"><p>Source text. <a href="#fnref1" class="footnote-backref">↩︎</a></p>\n' +
        '</li>\n</ol>\n</section>\n',
    );
  });

  it('renders ==mark==', () => {
    expect(html('==highlighted== text')).toBe('<p><mark>highlighted</mark> text</p>\n');
  });
});

describe('wikilinks', () => {
  it('renders [[Page]] with the resolved URL', () => {
    expect(html('[[Home]]')).toBe('<p><a href="/w/main/Home" class="wikilink">Home</a></p>\n');
  });

  it('renders [[Title|Page]] in the default Otterwiki style', () => {
    expect(html('[[Start here|Foo/Bar]]')).toBe(
      '<p><a href="/w/main/Foo/Bar" class="wikilink">Start here</a></p>\n',
    );
  });

  it('renders [[Page|Title]] in the page-title style', () => {
    expect(html('[[Home|Start here]]', { wikiLinkStyle: 'page-title' })).toBe(
      '<p><a href="/w/main/Home" class="wikilink">Start here</a></p>\n',
    );
  });

  it('accepts [[Title\\|Page]] so titled wikilinks fit in table cells', () => {
    expect(html('| Link |\n|---|\n| [[Start\\|Home]] |')).toBe(
      '<table>\n<thead>\n<tr>\n<th>Link</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n' +
        '<td><a href="/w/main/Home" class="wikilink">Start</a></td>\n</tr>\n</tbody>\n</table>\n',
    );
    expect(html('[[Start\\|Home]]')).toBe('<p><a href="/w/main/Home" class="wikilink">Start</a></p>\n');
  });

  it('marks links to missing pages as red links', () => {
    expect(html('[[Missing Page]]')).toBe(
      '<p><a href="/w/main/Missing%20Page" class="wikilink missing">Missing Page</a></p>\n',
    );
  });

  it('links [[Page#section]] to the slug of the section and resolves only the page name', () => {
    const resolved: string[] = [];
    const out = html('[[Home#Getting Started]] [[Intro|Home#intro]]', {
      resolveWikiLink: (target) => {
        resolved.push(target);
        return { href: `/p/${target}`, exists: true };
      },
    });
    expect(out).toBe(
      '<p><a href="/p/Home#getting-started" class="wikilink">Home#Getting Started</a> ' +
        '<a href="/p/Home#intro" class="wikilink">Intro</a></p>\n',
    );
    expect(resolved).toEqual(['Home', 'Home']);
  });

  it('links [[#section]] within the page without resolving anything', () => {
    expect(html('[[#Local Heading]]', { resolveWikiLink: () => expect.unreachable() })).toBe(
      '<p><a href="#local-heading" class="wikilink">#Local Heading</a></p>\n',
    );
  });

  it('leaves code, escaped, empty and multi-line brackets alone', () => {
    expect(html('`[[Home]]` \\[[Home]] [[]] [[a\nb]]')).toBe(
      '<p><code>[[Home]]</code> [[Home]] [[]] [[a\nb]]</p>\n',
    );
  });

  it('escapes the title text', () => {
    expect(html('[[a <b> & "c"|Home]]')).toBe(
      '<p><a href="/w/main/Home" class="wikilink">a &lt;b&gt; &amp; "c"</a></p>\n',
    );
  });
});

describe('headings, anchors and table of contents', () => {
  it('gives headings slug ids and lists them in the TOC as plain text', () => {
    const page = renderMarkdown(
      '# Title\n## Sub *section*\n### Ünïcödé & Co.\n## `code` and [[Home]]',
      options(),
    );
    expect(page.html).toBe(
      '<h1 id="title">Title</h1>\n<h2 id="sub-section">Sub <em>section</em></h2>\n' +
        '<h3 id="ünïcödé--co">Ünïcödé &amp; Co.</h3>\n' +
        '<h2 id="code-and-home"><code>code</code> and <a href="/w/main/Home" class="wikilink">Home</a></h2>\n',
    );
    expect(page.toc).toEqual([
      { level: 1, title: 'Title', id: 'title' },
      { level: 2, title: 'Sub section', id: 'sub-section' },
      { level: 3, title: 'Ünïcödé & Co.', id: 'ünïcödé--co' },
      { level: 2, title: 'code and Home', id: 'code-and-home' },
    ]);
  });

  it('keeps ids unique for duplicate headings, also against literal suffixes', () => {
    const page = renderMarkdown('# A-1\n# A\n# A\n#\n# A', options());
    expect(page.toc.map((entry) => entry.id)).toEqual(['a-1', 'a', 'a-2', 'a-3']);
    expect(page.html).toContain('<h1 id="section"></h1>');
  });

  it('starts ids afresh on every render', () => {
    const first = renderMarkdown('# Same\n# Same', options());
    const second = renderMarkdown('# Same\n# Same', options());
    expect(second).toEqual(first);
  });

  it('lets links and wikilinks point at heading anchors', () => {
    expect(html('## Install Steps\n\nSee [install](#install-steps) and [[#Install Steps]].')).toBe(
      '<h2 id="install-steps">Install Steps</h2>\n' +
        '<p>See <a href="#install-steps">install</a> and <a href="#install-steps" class="wikilink">#Install Steps</a>.</p>\n',
    );
  });
});

describe('GitHub alerts', () => {
  for (const [marker, title] of [
    ['NOTE', 'Note'],
    ['TIP', 'Tip'],
    ['IMPORTANT', 'Important'],
    ['WARNING', 'Warning'],
    ['CAUTION', 'Caution'],
  ] as const) {
    it(`renders > [!${marker}] as a titled alert`, () => {
      expect(html(`> [!${marker}]\n> Mind the *gap*.`)).toBe(
        `<div class="markdown-alert markdown-alert-${marker.toLowerCase()}">\n` +
          `<p class="markdown-alert-title">${title}</p>\n<p>Mind the <em>gap</em>.</p>\n</div>\n`,
      );
    });
  }

  it('leaves unknown markers and plain quotes as blockquotes', () => {
    expect(html('> [!FOO]\n> f\n\n> plain')).toBe(
      '<blockquote>\n<p>[!FOO]\nf</p>\n</blockquote>\n<blockquote>\n<p>plain</p>\n</blockquote>\n',
    );
  });
});

describe('math', () => {
  function katexOf(markdown: string) {
    return elements(markdown).filter((el) => attr(el, 'class') === 'katex');
  }
  function texOf(markdown: string): string[] {
    return elements(markdown)
      .filter((el) => el.tagName === 'annotation' && attr(el, 'encoding') === 'application/x-tex')
      .map((el) => el.childNodes.map((node) => ('value' in node ? node.value : '')).join(''));
  }

  it('renders $inline$ math on the server with KaTeX (HTML and MathML)', () => {
    const markdown = 'Energy $E=mc^2$ here.';
    expect(katexOf(markdown)).toHaveLength(1);
    expect(texOf(markdown)).toEqual(['E=mc^2']);
    expect(html(markdown)).toMatch(
      /^<p>Energy <span class="katex"><span class="katex-mathml"><math .*<\/span> here\.<\/p>\n$/s,
    );
  });

  it('renders $$block$$ and ```math fences as display math', () => {
    for (const markdown of ['$$\n\\frac{a}{b}\n$$', '```math\n\\frac{a}{b}\n```']) {
      expect(html(markdown)).toMatch(
        /^<div class="math-display"><span class="katex-display"><span class="katex">/,
      );
      expect(texOf(markdown)).toEqual(['\\frac{a}{b}']);
    }
  });

  it('does not take prices for math', () => {
    expect(html('It costs $5 and $10.')).toBe('<p>It costs $5 and $10.</p>\n');
  });

  it('shows invalid TeX as a KaTeX error instead of failing the page', () => {
    expect(html('$\\frac{$')).toMatch(
      /^<p><span class="katex-error" title="ParseError: [^"]*" style="color:#cc0000">\\frac\{<\/span><\/p>\n$/,
    );
  });

  it('does not turn \\href in TeX into a link', () => {
    expect(elements('$\\href{https://example.com}{x}$').filter((el) => el.tagName === 'a')).toEqual([]);
  });
});

describe('code', () => {
  it('emits ```mermaid fences as escaped source for the client', () => {
    expect(html('```mermaid\ngraph TD; A-->B\n```')).toBe(
      '<pre class="mermaid">graph TD; A--&gt;B\n</pre>\n',
    );
  });

  it('highlights fenced code in known languages on the server', () => {
    expect(html('```ts\nconst x: number = 1;\n```')).toBe(
      '<pre><code class="hljs language-ts"><span class="hljs-keyword">const</span> <span class="hljs-attr">x</span>: ' +
        '<span class="hljs-built_in">number</span> = <span class="hljs-number">1</span>;\n</code></pre>\n',
    );
  });

  it('escapes code in unknown or unnamed languages', () => {
    expect(html('```nosuchlang\n<b>\n```\n\n```\nplain <i>\n```')).toBe(
      '<pre><code class="language-nosuchlang">&lt;b&gt;\n</code></pre>\n<pre><code>plain &lt;i&gt;\n</code></pre>\n',
    );
  });
});

describe('attachments and images', () => {
  it('resolves relative images and attachment links against the attachment base', () => {
    expect(
      html(
        '![c](chart.png) ![d](./img/d.jpg?x=1) ![up](../up.png) [r](report.pdf) [p](Other) [n](notes.md) ' +
          '[a](https://x.org/a.png) [abs](/x.pdf) [frag](#top)',
        { attachmentBase: '/w/main/Foo/Bar/' },
      ),
    ).toBe(
      '<p><img src="/w/main/Foo/Bar/chart.png" alt="c" /> <img src="/w/main/Foo/Bar/img/d.jpg?x=1" alt="d" /> ' +
        '<img src="/w/main/Foo/up.png" alt="up" /> <a href="/w/main/Foo/Bar/report.pdf">r</a> <a href="Other">p</a> ' +
        '<a href="notes.md">n</a> <a href="https://x.org/a.png">a</a> <a href="/x.pdf">abs</a> <a href="#top">frag</a></p>\n',
    );
  });

  it('leaves relative URLs alone without an attachment base', () => {
    expect(html('![c](chart.png)')).toBe('<p><img src="chart.png" alt="c" /></p>\n');
  });

  it('keeps raster data: images but drops SVG and other data: URLs', () => {
    expect(
      html(
        '![p](data:image/png;base64,iVBORw0KGgo=) <img src="data:image/svg+xml;base64,PHN2Zz4="> <img src="data:text/html,x">',
      ),
    ).toBe('<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="p" /> <img /> <img /></p>\n');
  });
});
