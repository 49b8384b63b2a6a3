import { describe, expect, it } from 'vitest';
import { otterwikiTitleCase } from '../../src/domain/otterwikiTitle.js';
import { displayName, displayPath } from '../../src/domain/pagePath.js';

describe('displayName', () => {
  it('prefers the frontmatter title', () => {
    expect(displayName('nas setup', { title: 'Network Storage' }, '# NAS Setup\n')).toBe('Network Storage');
    expect(displayName('NAS Setup', { title: '  Trimmed  ' }, '')).toBe('Trimmed');
    expect(displayName('Years/2024', { title: 2024 }, '')).toBe('2024');
  });

  it('ignores a blank or non-text title', () => {
    expect(displayName('nas setup', { title: '   ' }, '')).toBe('Nas Setup');
    expect(displayName('nas setup', { title: ['a'] }, '')).toBe('Nas Setup');
    expect(displayName('nas setup', { title: null }, '')).toBe('Nas Setup');
  });

  it.each([
    ['a matching first heading gives the casing', 'nas setup', '# NAS Setup\n\ntext', 'NAS Setup'],
    ['any heading level counts', 'nas setup', 'intro\n\n### NAS setup\n', 'NAS setup'],
    ['a heading that differs is not used', 'nas setup', '# Introduction\n', 'Nas Setup'],
    ['only the first heading is consulted', 'nas setup', '# Intro\n\n# NAS Setup\n', 'Nas Setup'],
    ['a heading equal to the lowercase name title-cases', 'nas setup', '# nas setup\n', 'Nas Setup'],
    ['no heading title-cases', 'my page', 'Just text.', 'My Page'],
    ['a heading in a code fence is ignored', 'nas setup', '```\n# NAS SETUP\n```\n', 'Nas Setup'],
    ['a closing sequence is not part of the heading', 'nas setup', '## NAS Setup ##\n', 'NAS Setup'],
    ['the file name is the last segment', 'projects/home lab/nas setup', '# NAS Setup', 'NAS Setup'],
    ['mixed case is kept as written', 'NAS setup', '# nas setup', 'NAS setup'],
    ['mixed case without a heading is kept', 'Projects/iPhone notes', '', 'iPhone notes'],
    ['a lowercase name in a mixed-case folder', 'Projects/nas setup', '', 'Nas Setup'],
  ])('%s', (_rule, path, body, expected) => {
    expect(displayName(path, null, body)).toBe(expected);
  });

  it('reads the heading hint from the first 512 characters only, as Otterwiki does', () => {
    const filler = `${'word '.repeat(110)}\n\n`; // 552 characters
    expect(displayName('nas setup', null, `# NAS Setup\n${filler}`)).toBe('NAS Setup');
    expect(displayName('nas setup', null, `${filler}# NAS Setup\n`)).toBe('Nas Setup');
  });
});

describe('displayPath', () => {
  it.each([
    ['nas/setup', '', 'Nas/Setup'],
    ['NAS/setup', '', 'NAS/Setup'],
    ['projects/nas setup', '# NAS Setup', 'Projects/NAS Setup'],
    ['projects/NAS Setup', '# whatever', 'Projects/NAS Setup'],
    ['home', '', 'Home'],
    ['nas/nas', '# NAS', 'Nas/NAS'],
  ])('%j with body %j → %j', (path, body, expected) => {
    expect(displayPath(path, body)).toBe(expected);
  });

  it('works without a body', () => {
    expect(displayPath('a/b c')).toBe('A/B C');
  });
});

describe("otterwikiTitleCase (Otterwiki's titleSs)", () => {
  it.each([
    ['hello world', 'Hello World'],
    ["they're here", "They're Here"],
    ["o'neil's notes", "O'neil's Notes"],
    ['straße', 'Straße'],
    ['ßa', 'ßa'],
    ['2nd edition', '2Nd Edition'],
    ['ab-cd_ef.gh', 'Ab-Cd_Ef.Gh'],
    ['ǆemal', 'ǅemal'],
    ['ﬁsh', 'Fish'],
    ['ᾳ', 'ᾼ'],
    ['élan vital', 'Élan Vital'],
    ['mIxEd', 'Mixed'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(otterwikiTitleCase(input)).toBe(expected);
  });
});
