import { describe, expect, it } from 'vitest';
import { findSection, parseHeadings, sectionPathText } from '../../src/domain/sections.js';

const paths = (markdown: string) => parseHeadings(markdown).map(sectionPathText);

describe('parseHeadings', () => {
  it('gives level, title, path and 0-based line of each ATX heading', () => {
    expect(parseHeadings('# Top\n\n## Sub A\ntext\n### Deep\n## Sub B\n')).toEqual([
      { level: 1, title: 'Top', path: ['Top'], line: 0 },
      { level: 2, title: 'Sub A', path: ['Top', 'Sub A'], line: 2 },
      { level: 3, title: 'Deep', path: ['Top', 'Sub A', 'Deep'], line: 4 },
      { level: 2, title: 'Sub B', path: ['Top', 'Sub B'], line: 5 },
    ]);
  });

  it('starts paths at whatever level the document starts', () => {
    expect(paths('## Alpha\n\n### Alpha One\n\n## Beta\n\n# Gamma\n### Deep')).toEqual([
      'Alpha',
      'Alpha > Alpha One',
      'Beta',
      'Gamma',
      'Gamma > Deep',
    ]);
  });

  it.each([
    ['a backtick fence', '# Real\n```\n# Fake\n## Also fake\n```\n## Sub'],
    ['a tilde fence', '# Real\n~~~\n# Fake\n~~~\n## Sub'],
    ['a fence with an info string', '# Real\n```python title="x"\n# comment\n```\n## Sub'],
    ['a fence indented by up to three spaces', '# Real\n   ~~~\n# Fake\n   ~~~\n## Sub'],
    [
      'a four-backtick fence that three backticks do not close',
      '# Real\n````\n# Fake\n```\n# Fake\n````\n## Sub',
    ],
    ['a backtick fence that tildes do not close', '# Real\n```\n~~~\n# Fake\n```\n## Sub'],
    ['a fence closed by a longer fence', '# Real\n```\n# Fake\n`````\n## Sub'],
  ])('ignores headings in %s', (_case, markdown) => {
    expect(paths(markdown)).toEqual(['Real', 'Real > Sub']);
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(paths('# Real\n```\n# Fake\n## Fake')).toEqual(['Real']);
  });

  it('does not open a fence from a backtick line whose info string has a backtick', () => {
    expect(paths('# Real\n``` `x`\n## Sub')).toEqual(['Real', 'Real > Sub']);
  });

  it.each([
    ['## Title ##', 'Title'],
    ['## Inner Section  ##  ', 'Inner Section'],
    ['# C#', 'C#'],
    ['# #', ''],
    ['#', ''],
    ['#\tTabbed', 'Tabbed'],
    ['   # Three spaces', 'Three spaces'],
    ['# Trailing spaces   ', 'Trailing spaces'],
    ['###### Six', 'Six'],
  ])('%j is a heading titled %j', (line, title) => {
    expect(parseHeadings(line).map((h) => h.title)).toEqual([title]);
  });

  it.each(['#hashtag', '####### Seven', '    # Four spaces', 'text # not at start', '\\# escaped'])(
    '%j is not a heading',
    (line) => {
      expect(parseHeadings(line)).toEqual([]);
    },
  );

  it('skips frontmatter, so YAML comments are not headings, and counts lines from the top', () => {
    expect(parseHeadings('---\n# a YAML comment\ntitle: x\n---\n# Real\n')).toEqual([
      { level: 1, title: 'Real', path: ['Real'], line: 4 },
    ]);
  });

  it('handles CRLF files', () => {
    expect(parseHeadings('# One\r\n\r\n## Two\r\n')).toEqual([
      { level: 1, title: 'One', path: ['One'], line: 0 },
      { level: 2, title: 'Two', path: ['One', 'Two'], line: 2 },
    ]);
  });
});

describe('findSection', () => {
  const doc =
    '# Introduction\n\nIntro content.\n\n' +
    '## Background\n\nBackground content.\n\n' +
    '### Military Strategy\n\nStrategy details.\n\n' +
    '## Other\n\nOther content.\n';

  it('finds a section by its title and returns it with its subsections', () => {
    const match = findSection(doc, 'Background');
    expect(match).toEqual({
      kind: 'found',
      heading: { level: 2, title: 'Background', path: ['Introduction', 'Background'], line: 4 },
      content: '## Background\n\nBackground content.\n\n### Military Strategy\n\nStrategy details.\n\n',
    });
  });

  it.each([
    ['the full path', 'Introduction > Background > Military Strategy'],
    ['a path suffix', 'Background > Military Strategy'],
    ['the title', 'Military Strategy'],
    ['any case', 'background > MILITARY strategy'],
    ['loose spacing around >', '  Background>Military   Strategy '],
  ])('matches %s', (_rule, query) => {
    const match = findSection(doc, query);
    expect(match.kind).toBe('found');
    expect(match.kind === 'found' && match.content).toBe('### Military Strategy\n\nStrategy details.\n\n');
  });

  it('runs the last section to the end of the document', () => {
    const match = findSection(doc, 'other');
    expect(match.kind === 'found' && match.content).toBe('## Other\n\nOther content.\n');
  });

  it('ends a top-level section at the next top-level heading', () => {
    const match = findSection('# A\na\n## A1\na1\n# B\nb\n', 'A');
    expect(match.kind === 'found' && match.content).toBe('# A\na\n## A1\na1\n');
  });

  it('keeps CRLF line endings in the content', () => {
    const match = findSection('# A\r\ntext\r\n# B\r\n', 'a');
    expect(match.kind === 'found' && match.content).toBe('# A\r\ntext\r\n');
  });

  it('lists the candidates when a title is ambiguous', () => {
    const content = '# Part One\n## Summary\nFirst.\n# Part Two\n## Summary\nSecond.\n';
    expect(findSection(content, 'Summary')).toEqual({
      kind: 'ambiguous',
      candidates: ['Part One > Summary', 'Part Two > Summary'],
    });
    const one = findSection(content, 'part two > summary');
    expect(one.kind === 'found' && one.content).toBe('## Summary\nSecond.\n');
  });

  it('prefers an exact full path over longer paths that end the same way', () => {
    const content = '# Introduction\n## Background\nNested.\n# Background\nStandalone.\n';
    const top = findSection(content, 'background');
    expect(top.kind === 'found' && top.content).toBe('# Background\nStandalone.\n');
    const nested = findSection(content, 'Introduction > Background');
    expect(nested.kind === 'found' && nested.content).toBe('## Background\nNested.\n');
  });

  it('reports identical full paths as ambiguous', () => {
    expect(findSection('# Notes\none\n# Notes\ntwo\n', 'notes')).toEqual({
      kind: 'ambiguous',
      candidates: ['Notes', 'Notes'],
    });
  });

  it('lists every available section when nothing matches', () => {
    expect(findSection(doc, 'Nonexistent')).toEqual({
      kind: 'not_found',
      available: [
        'Introduction',
        'Introduction > Background',
        'Introduction > Background > Military Strategy',
        'Introduction > Other',
      ],
    });
  });

  it('does not match part of a title', () => {
    expect(findSection(doc, 'ground').kind).toBe('not_found');
    expect(findSection(doc, 'Strategy').kind).toBe('not_found');
  });

  it('reports no sections for a document without headings or a blank query', () => {
    expect(findSection('Just text.', 'Anything')).toEqual({ kind: 'not_found', available: [] });
    expect(findSection(doc, '   ').kind).toBe('not_found');
  });

  it('does not find headings inside code fences', () => {
    expect(findSection('# Real\n\n```\n## Fake\n```\n', 'Fake')).toEqual({
      kind: 'not_found',
      available: ['Real'],
    });
  });

  it('counts lines from the top of a page with frontmatter', () => {
    const match = findSection('---\ntitle: T\n---\n# A\ntext\n', 'A');
    expect(match).toEqual({
      kind: 'found',
      heading: { level: 1, title: 'A', path: ['A'], line: 3 },
      content: '# A\ntext\n',
    });
  });
});
