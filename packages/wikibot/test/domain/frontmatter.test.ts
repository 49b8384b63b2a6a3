import { describe, expect, it } from 'vitest';
import {
  countWords,
  frontmatterCategory,
  frontmatterTags,
  frontmatterTitle,
  parseFrontmatter,
} from '../../src/domain/frontmatter.js';

describe('parseFrontmatter', () => {
  it('splits a leading YAML block from the body', () => {
    const content =
      '---\ntitle: NAS Setup\ncategory: infra\ntags: [nas, storage]\n---\n# NAS\n\nBody text.\n';
    expect(parseFrontmatter(content)).toEqual({
      frontmatter: { title: 'NAS Setup', category: 'infra', tags: ['nas', 'storage'] },
      body: '# NAS\n\nBody text.\n',
    });
  });

  it('accepts CRLF line endings', () => {
    expect(parseFrontmatter('---\r\ntitle: My Page\r\n---\r\nBody')).toEqual({
      frontmatter: { title: 'My Page' },
      body: 'Body',
    });
  });

  it('accepts a block that ends the file', () => {
    expect(parseFrontmatter('---\ntitle: Only\n---')).toEqual({ frontmatter: { title: 'Only' }, body: '' });
  });

  it.each([
    ['invalid YAML', '---\ntitle: [unclosed\n---\nBody'],
    ['a YAML list', '---\n- a\n- b\n---\nBody'],
    ['a YAML scalar', '---\njust text\n---\nBody'],
    ['an empty block', '---\n\n---\nBody'],
    ['no closing line', '---\ntitle: x\nBody'],
    ['a block not at the start', '\n---\ntitle: x\n---\nBody'],
    ['a closing line with more than ---', '---\ntitle: x\n---more\nBody'],
    ['two YAML documents', '---\na: 1\n...\nb: 2\n---\nBody'],
    ['no frontmatter at all', '# Title\n\nBody'],
    ['empty content', ''],
  ])('%s counts as no frontmatter and keeps the whole content as body', (_case, content) => {
    expect(parseFrontmatter(content)).toEqual({ frontmatter: null, body: content });
  });

  it('keeps dates and YAML 1.1 booleans as strings', () => {
    const { frontmatter } = parseFrontmatter(
      '---\nlast_updated: 2024-01-01\nreviewed: 2024-03-05T10:00:00Z\ndraft: yes\nconfidence: 0.8\nflag: true\n---\n',
    );
    expect(frontmatter).toEqual({
      last_updated: '2024-01-01',
      reviewed: '2024-03-05T10:00:00Z',
      draft: 'yes',
      confidence: 0.8,
      flag: true,
    });
  });

  it('turns explicitly tagged values into JSON-friendly ones', () => {
    const { frontmatter } = parseFrontmatter(
      '---\nday: !!timestamp 2020-01-02\nmoment: !!timestamp 2020-01-02T03:04:05Z\nblob: !!binary aGk=\nset: !!set {a, b}\n---\n',
    );
    expect(frontmatter).toEqual({
      day: '2020-01-02',
      moment: '2020-01-02T03:04:05.000Z',
      blob: 'aGk=',
      set: ['a', 'b'],
    });
  });

  it('lets a repeated key keep its last value, as PyYAML does', () => {
    expect(parseFrontmatter('---\ntitle: one\ntitle: two\n---\n').frontmatter).toEqual({ title: 'two' });
  });

  it('keeps a __proto__ key as plain data', () => {
    const { frontmatter } = parseFrontmatter('---\n__proto__:\n  polluted: true\n---\n');
    expect(Object.keys(frontmatter ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(frontmatter)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not take YAML comments or a later --- for frontmatter', () => {
    expect(parseFrontmatter('Intro\n---\ntitle: x\n---\n').frontmatter).toBeNull();
    expect(parseFrontmatter('---\n# a comment\ntitle: x\n---\nBody').frontmatter).toEqual({ title: 'x' });
  });
});

describe('frontmatterTags', () => {
  it.each([
    ['a YAML list', { tags: ['nas', 'storage'] }, ['nas', 'storage']],
    ['a comma-separated string', { tags: 'nas, storage ,backup' }, ['nas', 'storage', 'backup']],
    ['a single string', { tags: 'single-tag' }, ['single-tag']],
    ['blank entries dropped', { tags: 'a,, ,b' }, ['a', 'b']],
    ['list items trimmed and numbers spelled', { tags: [' a ', 2024, null, ['x']] }, ['a', '2024']],
    ['a number', { tags: 7 }, ['7']],
    ['null', { tags: null }, []],
    ['missing', { title: 'x' }, []],
    ['no frontmatter', null, []],
  ])('%s', (_case, fm, expected) => {
    expect(frontmatterTags(fm)).toEqual(expected);
  });
});

describe('frontmatterCategory and frontmatterTitle', () => {
  it.each([
    [{ category: 'infra' }, 'infra'],
    [{ category: '  infra  ' }, 'infra'],
    [{ category: 42 }, '42'],
    [{ category: '' }, null],
    [{ category: ['a'] }, null],
    [{}, null],
    [null, null],
  ])('category of %j is %j', (fm, expected) => {
    expect(frontmatterCategory(fm)).toBe(expected);
  });

  it.each([
    [{ title: 'Home' }, 'Home'],
    [{ title: 2024 }, '2024'],
    [{ title: true }, null],
    [{ title: ' ' }, null],
    [{ title: { a: 1 } }, null],
    [null, null],
  ])('title of %j is %j', (fm, expected) => {
    expect(frontmatterTitle(fm)).toBe(expected);
  });
});

describe("countWords (Python's len(text.split()))", () => {
  it.each([
    ['', 0],
    ['   \n\t ', 0],
    ['one', 1],
    ['one two  three\n\nfour', 4],
    ['no\u00a0break space', 3],
    ['file\x1cseparator', 2],
    ['zero\u200bwidth', 1],
    ['byte\ufefforder', 1],
    ['ideographic\u3000space', 2],
  ])('%j has %i words', (text, words) => {
    expect(countWords(text)).toBe(words);
  });
});
