import { describe, expect, it } from 'vitest';
import { caseClashes, type PushRules, pushedFileProblem } from '../../src/wiki/push-rules.js';

const rules: PushRules = { branch: 'main', maxPageBytes: 100, maxAttachmentBytes: 50 };
const file = (path: string, size = 1, mode = '100644') => ({ path, mode, size });

describe('pushedFileProblem', () => {
  it('accepts pages and attachments in a page folder within the limits', () => {
    expect(pushedFileProblem(file('Home.md'), rules)).toBeNull();
    expect(pushedFileProblem(file('Guides/Setup.md', 100), rules)).toBeNull();
    expect(pushedFileProblem(file('Guides/Setup/diagram.png', 50, '100755'), rules)).toBeNull();
  });

  it('names the broken rule with the file', () => {
    expect(pushedFileProblem(file('mcp/Page.md'), rules)).toBe(
      "mcp/Page.md: Invalid page path: 'mcp' is reserved and cannot be the first segment",
    );
    expect(pushedFileProblem(file('Big.md', 101), rules)).toBe(
      'Big.md: page content too large: 101 bytes (max 100)',
    );
    expect(pushedFileProblem(file('Page/photo.jpg', 51), rules)).toBe(
      'Page/photo.jpg: attachment too large: 51 bytes (max 50)',
    );
    expect(pushedFileProblem(file('README'), rules)).toMatch(/^README: files outside a page's folder/);
    expect(pushedFileProblem(file('Page/.hidden'), rules)).toMatch(/must not start with '\.'/);
    expect(pushedFileProblem(file('Page/link', 1, '120000'), rules)).toMatch(/only regular files/);
    expect(pushedFileProblem(file('Page/module', 0, '160000'), rules)).toMatch(/only regular files/);
    expect(pushedFileProblem(file('Cafe\u0301.md'), rules)).toMatch(/must be written as the wiki stores it/);
  });
});

describe('caseClashes', () => {
  it('refuses names that differ only in case from another file or folder', () => {
    const tree = ['Home.md', 'home.md', 'Docs/Guide.md', 'docs.md', 'Page.md'];
    expect(caseClashes(['home.md'], tree)).toEqual([
      'home.md: clashes with "Home.md" (names differ only in case)',
    ]);
    expect(caseClashes(['docs'], [...tree, 'docs'])).toEqual([
      'docs: clashes with the folder "Docs" (names differ only in case)',
    ]);
    expect(caseClashes(['page.md/x.png'], [...tree, 'page.md/x.png'])[0]).toMatch(/"Page.md" is a file/);
    expect(caseClashes(['Docs/Guide.md'], tree)).toEqual([]);
  });
});
