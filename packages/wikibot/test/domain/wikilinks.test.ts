import { describe, expect, it } from 'vitest';
import {
  extractWikiLinks,
  rewriteWikiLinks,
  type WikiLink,
  wikiLinkStyleFromOtterwiki,
  wikiLinkTargetProblem,
} from '../../src/domain/wikilinks.js';

const link = (target: string, display: string | null = null, anchor: string | null = null): WikiLink => ({
  target,
  display,
  anchor,
});

describe('extractWikiLinks', () => {
  it.each([
    ['[[Page]]', [link('Page')]],
    ['[[Title|Page]]', [link('Page', 'Title')]],
    ['[[Page#Setup Steps]]', [link('Page', null, 'Setup Steps')]],
    ['[[Title|Page#anchor]]', [link('Page', 'Title', 'anchor')]],
    ['[[ Spaced Page ]] and [[ Title | Page ]]', [link('Spaced Page'), link('Page', 'Title')]],
    ['[[/Projects/NAS]]', [link('Projects/NAS')]],
    ['[[ / Projects/NAS # top ]]', [link('Projects/NAS', null, 'top')]],
    ['[[Projects//NAS/]]', [link('Projects/NAS')]],
    ['[[Page#]]', [link('Page')]],
    ['[[a|b|c]]', [link('b|c', 'a')]],
    ['[[#local-anchor]] and [[|Page]] and [[Title|]] and [[]]', []],
    ['See [[A]], then [[B]] and [[A]] again.', [link('A'), link('B'), link('A')]],
    ['multi\nline [[One]]\n\n[[Two]]', [link('One'), link('Two')]],
  ])('%j', (markdown, expected) => {
    expect(extractWikiLinks(markdown)).toEqual(expected);
  });

  it("reads [[Page|Title]] in the 'page-title' style", () => {
    expect(extractWikiLinks('[[Page|Title]] [[Page#anchor|Title]] [[Solo]]', 'page-title')).toEqual([
      link('Page', 'Title'),
      link('Page', 'Title', 'anchor'),
      link('Solo'),
    ]);
  });

  it.each([
    ['a backtick fence', '```\n[[Hidden]]\n```\n[[Shown]]'],
    ['a tilde fence with an info string', '~~~markdown\n[[Hidden]]\n~~~\n[[Shown]]'],
    ['a fence indented by three spaces', '   ```js\n[[Hidden]]\n   ```\n[[Shown]]'],
    ['a longer fence not closed by a shorter one', '````\n```\n[[Hidden]]\n````\n[[Shown]]'],
    ['a tilde fence not closed by backticks', '~~~\n```\n[[Hidden]]\n~~~\n[[Shown]]'],
    ['inline code', 'Use `[[Hidden]]` for links, see [[Shown]]'],
    ['inline code with double backticks', 'Write ``a ` [[Hidden]]`` then [[Shown]]'],
    ['inline code across a line break', 'Write `[[Hidden]]\nstill code` and [[Shown]]'],
    ['an escaped opening bracket', '\\[[Hidden]] and [[Shown]]'],
  ])('ignores links in %s', (_case, markdown) => {
    expect(extractWikiLinks(markdown)).toEqual([link('Shown')]);
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(extractWikiLinks('[[Shown]]\n```\n[[Hidden]]\n[[Hidden too]]')).toEqual([link('Shown')]);
  });

  it('does not take a fence indented by four spaces for a fence', () => {
    expect(extractWikiLinks('    ~~~\n[[Shown]]\n')).toEqual([link('Shown')]);
  });

  it('finds links when backticks are unbalanced or escaped', () => {
    expect(extractWikiLinks('a ` stray [[One]]\n\nb \\`[[Two]]` c')).toEqual([link('One'), link('Two')]);
  });

  it('does not let an inline code span cross a blank line', () => {
    expect(extractWikiLinks('a `open\n\n[[Shown]] b`')).toEqual([link('Shown')]);
  });
});

describe('wikiLinkStyleFromOtterwiki', () => {
  it.each([
    ['', 'title-page'],
    ['TITLELINK', 'title-page'],
    ['LINKTITLE', 'page-title'],
    ['link_title', 'page-title'],
    ['PageNameTitle', 'page-title'],
    [' PAGENAME_TITLE ', 'page-title'],
  ] as const)('%j → %s', (setting, style) => {
    expect(wikiLinkStyleFromOtterwiki(setting)).toBe(style);
  });
});

describe('rewriteWikiLinks', () => {
  it.each([
    ['a plain link', '[[Old Page]]', '[[New Page]]'],
    ['case-insensitively', 'See [[old page]] and [[OLD PAGE]].', 'See [[New Page]] and [[New Page]].'],
    ['keeping the display text', '[[click here|Old Page]]', '[[click here|New Page]]'],
    ['keeping the anchor', '[[Old Page#Install Steps]]', '[[New Page#Install Steps]]'],
    ['keeping display text and anchor', '[[Guide|Old Page#sec]]', '[[Guide|New Page#sec]]'],
    ['keeping a leading slash', '[[/Old Page]]', '[[/New Page]]'],
    ['keeping the spaces inside the brackets', '[[ Title | Old Page ]]', '[[ Title | New Page ]]'],
    ['keeping spaces around a leading slash', '[[ / Old Page #a]]', '[[ / New Page #a]]'],
    ['moving subpages and attachments with the folder', '[[Old Page/Child]]', '[[New Page/Child]]'],
    [
      'leaving other pages alone',
      '[[Old Page 2]] [[Older Page]] [[Other/Old Page]] [[Title|Old]]',
      '[[Old Page 2]] [[Older Page]] [[Other/Old Page]] [[Title|Old]]',
    ],
    ['leaving a display text that equals the old name', '[[Old Page|Other]]', '[[Old Page|Other]]'],
    [
      'leaving code alone',
      '`[[Old Page]]`\n\n```\n[[Old Page]]\n```\n[[Old Page]]',
      '`[[Old Page]]`\n\n```\n[[Old Page]]\n```\n[[New Page]]',
    ],
  ])('rewrites %s', (_case, before, after) => {
    expect(rewriteWikiLinks(before, 'Old Page', 'New Page')).toBe(after);
  });

  it("rewrites the page side in the 'page-title' style", () => {
    expect(rewriteWikiLinks('[[Old#sec|Old]] [[Old]]', 'Old', 'Archive/Old', 'page-title')).toBe(
      '[[Archive/Old#sec|Old]] [[Archive/Old]]',
    );
  });

  it('moves a page into and out of folders', () => {
    expect(rewriteWikiLinks('[[Notes/Todo]] [[Notes/Todo/img.png]]', 'Notes/Todo', 'Todo')).toBe(
      '[[Todo]] [[Todo/img.png]]',
    );
  });

  it('returns the same text when nothing links to the page', () => {
    const text = 'Nothing [[Else]] here, [text](/Elsewhere).';
    expect(rewriteWikiLinks(text, 'Old', 'New')).toBe(text);
  });

  it.each([
    ['an inline link', '[NAS](/Old)', '[NAS](/New)', 'Old', 'New'],
    [
      'an inline link with anchor and title',
      '[x](/Old#setup "Setup")',
      '[x](/New#setup "Setup")',
      'Old',
      'New',
    ],
    ['a percent-encoded link', '[x](/Old%20Page)', '[x](/New%20Page)', 'Old Page', 'New Page'],
    ['a link case-insensitively', '[x](/old%20page)', '[x](/New%20Page)', 'Old Page', 'New Page'],
    ['an angle-bracket link', '[x](</Old Page#a>)', '[x](</New Page#a>)', 'Old Page', 'New Page'],
    ['an image in the page folder', '![chart](/Old/chart.png)', '![chart](/New/chart.png)', 'Old', 'New'],
    ['a link definition', '[ref]: /Old "Title"\n', '[ref]: /New "Title"\n', 'Old', 'New'],
    ['a bare link definition', '[ref]: /Old\n[x][ref]', '[ref]: /New\n[x][ref]', 'Old', 'New'],
    ['a link with a title on the next line', '[x](/Old\n"Title")', '[x](/New\n"Title")', 'Old', 'New'],
    ['escaping a new name with spaces', '[x](/Old)', '[x](/New%20Page%20%281%29)', 'Old', 'New Page (1)'],
    ['encoding fully when the old link was encoded', '[x](/Caf%C3%A9)', '[x](/Th%C3%A9)', 'Café', 'Thé'],
    ['keeping raw characters when the old link had them', '[x](/Café)', '[x](/Thé)', 'Café', 'Thé'],
  ])('rewrites %s', (_case, before, after, oldPath, newPath) => {
    expect(rewriteWikiLinks(before, oldPath, newPath)).toBe(after);
  });

  it.each([
    ['an external URL', '[x](https://example.com/Old)'],
    ['a protocol-relative URL', '[x](//Old)'],
    ['a relative link', '[x](Old)'],
    ['another page', '[x](/Older)'],
    ['text that is no link', '[x](/Old Page)'],
    ['a destination with parentheses', '[x](/Old(1))'],
    ['a link in inline code', '`[x](/Old)`'],
    ['a link in a fence', '```\n[x](/Old)\n```'],
  ])('leaves %s alone', (_case, text) => {
    expect(rewriteWikiLinks(text, 'Old', 'New')).toBe(text);
  });
});

describe('wikiLinkTargetProblem', () => {
  it.each(['Home', 'NAS Setup', 'a/b', 'Version 1.2'])('%j can be linked', (path) => {
    expect(wikiLinkTargetProblem(path)).toBeNull();
  });

  it.each([
    ['C#', '#'],
    ['A|B', '|'],
    ['A]B', ']'],
  ])('%j cannot (contains %s)', (path, char) => {
    expect(wikiLinkTargetProblem(path)).toBe(
      `a wikilink cannot point to a page whose path contains ${JSON.stringify(char)}`,
    );
  });
});
