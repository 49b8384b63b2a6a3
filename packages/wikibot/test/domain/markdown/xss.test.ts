import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/domain/markdown/render.js';
import { elementsOf, findXssViolations, parseBody } from './html-inspect.js';
import { xssCorpus } from './xss-corpus.js';

// A deliberately naive resolver (href = target, unencoded): the renderer must stay safe anyway.
const naiveOptions = { resolveWikiLink: (target: string) => ({ href: target, exists: true }) };

describe('XSS corpus', () => {
  it('has enough payloads to mean something', () => {
    expect(xssCorpus.length).toBeGreaterThanOrEqual(40);
  });

  for (const { name, markdown } of xssCorpus) {
    it(`renders inert HTML: ${name}`, () => {
      const { html } = renderMarkdown(markdown, naiveOptions);
      expect(findXssViolations(html)).toEqual([]);
      expect(html).not.toContain('\u0000');
    });
  }

  it('uses a checker that does flag unsafe HTML', () => {
    expect(findXssViolations('<img src=x onerror=alert(1)>')).toEqual(['event handler onerror on <img>']);
    expect(findXssViolations('<a href="java&#x09;script:alert(1)">x</a>')).toHaveLength(1);
    expect(findXssViolations('<img src=" DATA:text/html,x">')).toHaveLength(1);
    expect(findXssViolations('<img src="data:image/png;base64,AAAA">')).toEqual([]);
    expect(findXssViolations('<svg><a xlink:href="javascript:alert(1)"></a></svg>')).toHaveLength(2);
    expect(findXssViolations('<div style="color:red">x</div>')).toEqual(['style attribute on <div>']);
    expect(findXssViolations('<template><script>alert(1)</script></template>')).toHaveLength(2);
  });

  it('also holds with an attachment base and the page-title wikilink style', () => {
    const options = { ...naiveOptions, attachmentBase: '/w/main/Foo/', wikiLinkStyle: 'page-title' as const };
    for (const { markdown } of xssCorpus) {
      expect(findXssViolations(renderMarkdown(markdown, options).html)).toEqual([]);
    }
  });

  it('keeps the visible text of dropped handlers and links', () => {
    const { html } = renderMarkdown('<a href="javascript:alert(1)" onclick="x()">click me</a>', naiveOptions);
    const link = [...elementsOf(parseBody(html))].find((el) => el.tagName === 'a');
    expect(link?.attrs).toEqual([]);
    expect(html).toContain('click me');
  });

  it('cannot forge a math placeholder: only real formulas render as KaTeX', () => {
    const { html } = renderMarkdown('$x$ \u0000M0\u0000 &#0;M0&#0; <span>&#0;M0&#0;</span>', naiveOptions);
    const katex = [...elementsOf(parseBody(html))].filter((el) =>
      el.attrs.some((a) => a.name === 'class' && a.value === 'katex'),
    );
    expect(katex).toHaveLength(1);
  });
});
