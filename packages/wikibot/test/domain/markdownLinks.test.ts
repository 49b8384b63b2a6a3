import { describe, expect, it } from 'vitest';
import { extractMarkdownPageLinks } from '../../src/domain/markdownLinks.js';

describe('extractMarkdownPageLinks', () => {
  const links = (markdown: string, page = 'Folder/Page') => extractMarkdownPageLinks(markdown, page);

  it('resolves relative destinations from the page folder and drops .md', () => {
    expect(links('[a](Other.md) [b](Other) [c](./Sub/Deep.md) [d](../Up)')).toEqual([
      'Folder/Other',
      'Folder/Other',
      'Folder/Sub/Deep',
      'Up',
    ]);
  });

  it('takes absolute destinations from the wiki root, without anchor or query', () => {
    expect(links('[a](/Home#intro) [b](</With Space.md>) [c](/A%20B?x=1)')).toEqual([
      'Home',
      'With Space',
      'A B',
    ]);
  });

  it('reads reference definitions', () => {
    expect(links('[guide][g]\n\n[g]: Guide.md "The guide"\n')).toEqual(['Folder/Guide']);
  });

  it('leaves external URLs, anchors, attachments and code alone', () => {
    expect(
      links('[w](https://example.com/Page) [m](mailto:a@b.c) [p](//host/x) [s](#section) [f](chart.png)'),
    ).toEqual([]);
    expect(links('`[x](Other)`\n\n```\n[y](Other)\n```\n')).toEqual([]);
  });

  it('stays inside the wiki when a relative link climbs past the root', () => {
    expect(links('[a](../../../Top)')).toEqual(['Top']);
  });
});
