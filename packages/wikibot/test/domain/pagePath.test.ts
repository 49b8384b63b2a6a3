import { describe, expect, it } from 'vitest';
import {
  attachmentFolder,
  attachmentNameProblem,
  normalizeAttachmentName,
  normalizePagePath,
  pageFileName,
  pageKey,
  pagePathOfFile,
  pagePathProblem,
} from '../../src/domain/pagePath.js';

const longPath = `${'a'.repeat(200)}/`.repeat(5) + 'b'.repeat(20); // 1025 bytes

describe('pagePathProblem rejects each rule with a message naming it', () => {
  it.each([
    ['', 'Invalid page path: the path is empty'],
    ['/Home', "Invalid page path: it must not start with '/'"],
    ['Home/', "Invalid page path: it must not end with '/'"],
    ['A//B', 'Invalid page path: empty segments (//) are not allowed'],
    ['.', "Invalid page path: segment '.' is not allowed"],
    ['..', "Invalid page path: segment '..' is not allowed"],
    ['A/../B', "Invalid page path: segment '..' is not allowed"],
    ['A/./B', "Invalid page path: segment '.' is not allowed"],
    ['.hidden', "Invalid page path: segment '.hidden' must not start with '.'"],
    ['A/.git/config', "Invalid page path: segment '.git' must not start with '.'"],
    ['A\\B', 'Invalid page path: backslash is not allowed'],
    ['A\0B', 'Invalid page path: NUL and control characters are not allowed'],
    ['A\nB', 'Invalid page path: NUL and control characters are not allowed'],
    ['A\tB', 'Invalid page path: NUL and control characters are not allowed'],
    ['A\x7fB', 'Invalid page path: NUL and control characters are not allowed'],
    ['A\u0085B', 'Invalid page path: NUL and control characters are not allowed'],
    ['A\uD800B', 'Invalid page path: it contains invalid Unicode (a lone surrogate)'],
    ['-', "Invalid page path: '-' is reserved and cannot be the first segment"],
    ['-/login', "Invalid page path: '-' is reserved and cannot be the first segment"],
    ['api', "Invalid page path: 'api' is reserved and cannot be the first segment"],
    ['API/v1', "Invalid page path: 'API' is reserved and cannot be the first segment"],
    ['mcp', "Invalid page path: 'mcp' is reserved and cannot be the first segment"],
    ['Mcp/tools', "Invalid page path: 'Mcp' is reserved and cannot be the first segment"],
    ['.well-known', "Invalid page path: '.well-known' is reserved and cannot be the first segment"],
    ['.Well-Known/x', "Invalid page path: '.Well-Known' is reserved and cannot be the first segment"],
    [longPath, 'Invalid page path: the path is 1025 bytes long, the limit is 1024 bytes (UTF-8)'],
  ])('%j → %s', (path, message) => {
    expect(pagePathProblem(path)).toBe(message);
  });

  it('measures a segment in UTF-8 bytes, not characters', () => {
    const segment = 'é'.repeat(128); // 128 characters, 256 bytes
    expect(pagePathProblem(`Notes/${segment}`)).toBe(
      `Invalid page path: segment '${'é'.repeat(40)}…' is 256 bytes long, the limit is 255 bytes (UTF-8)`,
    );
    expect(pagePathProblem('a'.repeat(256))).toMatch(/segment 'a{40}…' is 256 bytes long, the limit is 255/);
  });

  it('measures the whole path in UTF-8 bytes', () => {
    const segment = '页'.repeat(85); // 255 bytes
    const path = [segment, segment, segment, segment, 'abcd'].join('/'); // 4*255 + 4 + 4 = 1028 bytes
    expect(pagePathProblem(path)).toBe(
      'Invalid page path: the path is 1028 bytes long, the limit is 1024 bytes (UTF-8)',
    );
  });
});

describe('pagePathProblem accepts ordinary names', () => {
  it.each([
    'Home',
    'NAS Setup',
    'nas setup',
    'Projects/2024/Plan',
    'Foo.md',
    'Version 1.2',
    'api-docs',
    'APIs/overview',
    'Docs/api',
    'x/-',
    'Ünïcödé/页面',
    'C#',
    'a'.repeat(255),
    `${'a'.repeat(255)}/${'b'.repeat(255)}/${'c'.repeat(255)}/${'d'.repeat(254)}/e`, // 1024 bytes
  ])('%j', (path) => {
    expect(pagePathProblem(path)).toBeNull();
  });
});

describe('page files', () => {
  it.each([
    ['Home', 'Home.md'],
    ['A/B', 'A/B.md'],
    ['Foo.md', 'Foo.md.md'],
  ])('pageFileName(%j) = %j and back', (path, file) => {
    expect(pageFileName(path)).toBe(file);
    expect(pagePathOfFile(file)).toBe(path);
  });

  it.each(['A/B/chart.png', 'README', 'notes.MD', '.md', 'dir/.md', 'md'])(
    '%j is not a page file',
    (file) => {
      expect(pagePathOfFile(file)).toBeNull();
    },
  );

  it('keeps attachments in the folder named like the page (the Otterwiki layout)', () => {
    expect(attachmentFolder('A/B')).toBe('A/B');
    expect(attachmentFolder('Home')).toBe('Home');
  });

  it('pageKey makes lookups case-insensitive and Unicode-normalized', () => {
    expect(pageKey('NAS Setup')).toBe(pageKey('nas setup'));
    expect(pageKey('Caf\u0065\u0301')).toBe(pageKey('CAFÉ'));
    expect(pageKey('A/B')).not.toBe(pageKey('A/C'));
  });
});

describe('attachmentNameProblem', () => {
  it.each([
    ['', 'Invalid attachment filename: the name is empty'],
    ['a/b.png', "Invalid attachment filename: '/' is not allowed"],
    ['../etc/passwd', "Invalid attachment filename: '/' is not allowed"],
    ['a\\b.png', 'Invalid attachment filename: backslash is not allowed'],
    ['..', "Invalid attachment filename: '..' is not allowed"],
    ['.', "Invalid attachment filename: '.' is not allowed"],
    ['.htaccess', "Invalid attachment filename: it must not start with '.'"],
    ['a\0.png', 'Invalid attachment filename: NUL and control characters are not allowed'],
    ['a\r\n.png', 'Invalid attachment filename: NUL and control characters are not allowed'],
    ['\uDC00.png', 'Invalid attachment filename: it contains invalid Unicode (a lone surrogate)'],
    ['notes.md', "Invalid attachment filename: '.md' files are pages, not attachments"],
    ['NOTES.MD', "Invalid attachment filename: '.md' files are pages, not attachments"],
    [
      `${'x'.repeat(253)}.png`,
      'Invalid attachment filename: the name is 257 bytes long, the limit is 255 bytes (UTF-8)',
    ],
  ])('%j → %s', (name, message) => {
    expect(attachmentNameProblem(name)).toBe(message);
  });

  it.each([
    'chart.png',
    'report 2024.pdf',
    'a..b.txt',
    'notes.md.txt',
    'ümlaut.jpg',
    `${'x'.repeat(251)}.png`,
  ])('accepts %j', (name) => {
    expect(attachmentNameProblem(name)).toBeNull();
  });
});

describe('names are stored NFC with white space around segments trimmed', () => {
  it('normalizes a page path', () => {
    expect(normalizePagePath('Cafe\u0301')).toBe('Café');
    expect(normalizePagePath(' Notes /  Day 1\u00a0')).toBe('Notes/Day 1');
    expect(normalizeAttachmentName(' Re\u0301sume\u0301.pdf ')).toBe('Résumé.pdf');
  });

  it('refuses a name or segment of only white space, and checks the trimmed segments', () => {
    expect(pagePathProblem('   ')).toBe('Invalid page path: the name is only white space');
    expect(pagePathProblem('A/ \u3000 /B')).toBe("Invalid page path: segment ' \u3000 ' is only white space");
    expect(pagePathProblem('A/ .hidden')).toBe(
      "Invalid page path: segment '.hidden' must not start with '.'",
    );
    expect(pagePathProblem('A/\tB')).toBe('Invalid page path: NUL and control characters are not allowed');
    expect(attachmentNameProblem('  ')).toBe('Invalid attachment filename: the name is only white space');
    expect(attachmentNameProblem(' .env')).toBe("Invalid attachment filename: it must not start with '.'");
  });
});
