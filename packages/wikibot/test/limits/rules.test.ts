import { describe, expect, it } from 'vitest';
import { deltaOf, limitProblems } from '../../src/wiki/limits.js';

const tree = new Map<string, number>([
  ['Home.md', 100],
  ['Home/photo.png', 1000],
]);
const sizeOf = (path: string) => tree.get(path);
const usage = { pages: 1, attachments: 1, attachmentBytes: 1000, repoBytes: 5000 };
const atLimit = { pages: 1, attachments: 1, attachmentBytes: 1000, repoBytes: 5000 };

describe('deltaOf', () => {
  it('counts pages and attachments added, removed and moved, and their bytes', () => {
    expect(
      deltaOf(
        [
          { path: 'Home.md', size: null },
          { path: 'Start.md', size: 100 },
          { path: 'Home/photo.png', size: null },
          { path: 'Start/photo.png', size: 1000 },
        ],
        sizeOf,
      ),
    ).toEqual({ pages: 0, attachments: 0, attachmentBytes: 0, contentBytes: 0, addedBytes: 1100 });
    expect(deltaOf([{ path: 'Home/photo.png', size: 400 }], sizeOf)).toEqual({
      pages: 0,
      attachments: 0,
      attachmentBytes: -600,
      contentBytes: -600,
      addedBytes: 400,
    });
  });
});

describe('limitProblems', () => {
  it('lets what does not grow pass at the limits: renames, deletes, smaller replacements', () => {
    const rename = deltaOf(
      [
        { path: 'Home.md', size: null },
        { path: 'Start.md', size: 100 },
      ],
      sizeOf,
    );
    expect(limitProblems(usage, rename, atLimit)).toEqual([]);
    expect(limitProblems(usage, deltaOf([{ path: 'Home.md', size: null }], sizeOf), atLimit)).toEqual([]);
    expect(limitProblems(usage, deltaOf([{ path: 'Home/photo.png', size: 10 }], sizeOf), atLimit)).toEqual(
      [],
    );
  });

  it('names every limit a growing change breaks, with the numbers', () => {
    const grown = deltaOf(
      [
        { path: 'New.md', size: 10 },
        { path: 'New/file.bin', size: 20 },
      ],
      sizeOf,
    );
    expect(limitProblems(usage, grown, atLimit)).toEqual([
      'Page limit reached: the wiki would have 2 pages, its limit is 1',
      'Attachment count limit reached: the wiki would have 2 attachments, its limit is 1',
      'Attachment size limit reached: the wiki would have 1020 bytes of attachments, its limit is 1000',
      'Repository size limit reached: the wiki would have 5030 bytes in its repository (at most), its limit is 5000',
    ]);
    expect(limitProblems(usage, grown, {})).toEqual([]);
  });
});
