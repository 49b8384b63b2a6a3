import { describe, expect, it } from 'vitest';
import { chunkPage, MIN_CHUNK_WORDS } from '../../src/domain/chunking.js';

/**
 * Chunking rules the issue names that test/domain/chunking.test.ts does not pin down on its own:
 * the 300-word threshold applies per section even on a long page, and tilde fences hide headings.
 */
const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
const paragraphs = (prefix: string, count: number, size: number) =>
  Array.from({ length: count }, (_, i) => words(`${prefix}${i}x`, size)).join('\n\n');

describe('chunkPage: the 300-word threshold', () => {
  it('keeps each section under 300 words whole on a page far over 300 words', () => {
    // Two sections of 299 words in 13 paragraphs each: the page has 600 words, no section reaches 300.
    const section = (tag: string) => `${paragraphs(tag, 13, 23)}`;
    expect(section('a').split(/\s+/).length).toBe(MIN_CHUNK_WORDS - 1);
    const result = chunkPage('Long', `# A\n\n${section('a')}\n\n# B\n\n${section('b')}`);
    expect(result.wordCount).toBeGreaterThan(2 * (MIN_CHUNK_WORDS - 1));
    expect(result.chunks.map((c) => c.text)).toEqual([
      `[Long > A] ${section('a')}`,
      `[Long > B] ${section('b')}`,
    ]);
  });

  it('cuts a section of 300 words in the same page into overlapping chunks', () => {
    const result = chunkPage(
      'Long',
      `# A\n\n${paragraphs('a', 12, 25)}\n\n# B\n\n${paragraphs('b', 13, 23)}`,
    );
    expect(result.chunks.map((c) => c.section)).toEqual(['A', 'A', 'B']);
  });
});

describe('chunkPage: fenced code', () => {
  it('does not split at a heading inside a tilde fence', () => {
    const body = `# Setup\n\n~~~python\n# not a heading\nprint("hi")\n~~~\n\n${words('w', 60)}`;
    const chunks = chunkPage('T', body).chunks;
    expect(chunks.map((c) => c.section)).toEqual(['Setup']);
    expect(chunks[0]?.text).toContain('# not a heading');
  });
});
