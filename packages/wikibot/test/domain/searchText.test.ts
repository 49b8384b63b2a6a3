import { describe, expect, it } from 'vitest';
import { markdownToPlainText } from '../../src/domain/plainText.js';
import { parseSearchQuery } from '../../src/domain/searchQuery.js';
import { snippetMaker, snippetText } from '../../src/domain/snippet.js';
import { toFtsQuery } from '../../src/index/ftsQuery.js';

const snippet = (query: string, markdown: string) =>
  snippetText(snippetMaker(parseSearchQuery(query).terms, 'title-page')(markdown).parts);

describe('search queries', () => {
  it('counts a repeated word once, whatever its case', () => {
    const parsed = parseSearchQuery(`${'The the THE '.repeat(100)}cat`);
    expect(parsed.terms).toEqual([
      { words: ['the'], prefix: false },
      { words: ['cat'], prefix: true },
    ]);
    expect(parsed.wordCount).toBe(2);
    expect(parseSearchQuery('a '.repeat(250)).wordCount).toBe(1);
  });

  it('makes the last word of three letters or more a prefix, and keeps phrases and explicit prefixes', () => {
    expect(toFtsQuery(parseSearchQuery('kernel protot').terms)).toBe('"kernel" "protot"*');
    expect(toFtsQuery(parseSearchQuery('kernel ab').terms)).toBe('"kernel" "ab"');
    expect(toFtsQuery(parseSearchQuery('"command line"').terms)).toBe('"command line"');
    expect(toFtsQuery(parseSearchQuery('kube* tool').terms)).toBe('"kube"* "tool"*');
    expect(parseSearchQuery('ku* tool').shortestExplicitPrefix).toBe(2);
    expect(toFtsQuery(parseSearchQuery('") OR NEAR(a ^ b').terms)).toBe('"or near a b"');
    expect(toFtsQuery(parseSearchQuery('^ : ( )').terms)).toBeNull();
  });
});

describe('plain text of Markdown', () => {
  it('keeps the words people read and drops the markup', () => {
    const text = markdownToPlainText(
      [
        '## Setup **now**',
        '> quoted _and_ ~~struck~~ `code` ==marked==',
        '- [x] done, see [[Guide|Docs/Guide]] and [the site](https://example.com) ![logo](l.png)[^1]',
        '| a | b |',
        '|---|:-:|',
        '| **c** | d |',
        '```js',
        'run();',
        '```',
        '<div class="x">inside</div> snake_case \\*literal\\*',
      ].join('\n'),
      'title-page',
    );
    expect(text).toBe(
      'Setup now quoted and struck code marked done, see Guide and the site logo a b c d run(); inside snake_case literal',
    );
  });

  it('shows the title of a link written [[Page|Title]] when that is the link style', () => {
    expect(markdownToPlainText('see [[Docs/Guide|the guide]]', 'page-title')).toBe('see the guide');
    expect(markdownToPlainText('see [[Docs/Guide|the guide]]', 'title-page')).toBe('see Docs/Guide');
  });

  it('removes halves of markup cut off at either end', () => {
    expect(markdownToPlainText('end of a link](https://example.com/x) then [[half', 'title-page')).toBe(
      'end of a link then half',
    );
  });
});

describe('snippets', () => {
  it('marks the words the index matched: stems, prefixes, folded case and accents', () => {
    expect(snippet('kernels apart', 'The Kernel schedules; kernelspace is apart.')).toBe(
      'The **Kernel** schedules; kernelspace is **apart**.',
    );
    expect(snippet('kern', 'The Kernel schedules; kernelspace is apart.')).toBe(
      'The **Kernel** schedules; **kernelspace** is apart.',
    );
    expect(snippet('cafe', 'Met at the Café.')).toBe('Met at the **Café**.');
  });

  it('marks a phrase only where its words follow each other', () => {
    expect(snippet('"command line"', 'A line, a command, then the command line.')).toBe(
      'A line, a command, then the **command line**.',
    );
  });

  it('starts a few words before the first hit and cuts at 24 words', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    words[60] = 'needle';
    expect(snippet('needle', words.join(' '))).toBe(
      `…w56 w57 w58 w59 **needle** ${words.slice(61, 80).join(' ')}…`,
    );
  });

  it('finds the first hit deep in a long page, at a word start only, in ASCII text or not', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const tail = 'xneedle needle_case 9needle then Needles here.';
    const marked = ' xneedle **needle**_case 9needle then **Needles** here.';
    for (const text of [`${filler} ${tail}`, `${filler} naïve ${tail}`]) {
      const found = snippet('needle', text);
      expect(found.endsWith(marked), found).toBe(true);
      expect(found.split('**').length).toBe(5); // two hits, nothing else marked
    }
  });

  it('falls back to the start of the text when the scanned text has no hit', () => {
    expect(snippet('absent', '# Title\n\nSome **bold** text.')).toBe('Title Some bold text.');
  });
});
