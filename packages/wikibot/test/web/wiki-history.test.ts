import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../src/wiki/diff.js';
import { Conflict, Invalid, NotFound } from '../../src/wiki/errors.js';
import type { Wiki } from '../../src/wiki/wiki.js';
import { AS_TESTER, openTestWiki } from './wiki-fixture.js';

describe('parseUnifiedDiff', () => {
  it('numbers old and new lines through hunks and skips file headers', () => {
    const diff = [
      'diff --git a/A.md b/A.md',
      'index 1111111..2222222 100644',
      '--- a/A.md',
      '+++ b/A.md',
      '@@ -1,3 +1,3 @@ heading',
      ' same',
      '-old',
      '--- not a header: a removed line starting with dashes',
      '+new',
      ' tail',
      '\\ No newline at end of file',
    ].join('\n');
    const { status, binary, hunks } = parseUnifiedDiff(diff);
    expect(status).toBe('modified');
    expect(binary).toBe(false);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]?.lines.map((l) => [l.kind, l.oldNumber, l.newNumber, l.text])).toEqual([
      ['context', 1, 1, 'same'],
      ['removed', 2, null, 'old'],
      ['removed', 3, null, '-- not a header: a removed line starting with dashes'],
      ['added', null, 2, 'new'],
      ['context', 4, 3, 'tail'],
    ]);
  });

  it('recognises new, deleted and binary files', () => {
    expect(
      parseUnifiedDiff(
        'diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n',
      ).status,
    ).toBe('added');
    expect(parseUnifiedDiff('diff --git a/x b/x\ndeleted file mode 100644\n').status).toBe('deleted');
    expect(
      parseUnifiedDiff('diff --git a/p.png b/p.png\nBinary files a/p.png and b/p.png differ\n').binary,
    ).toBe(true);
  });
});

describe('wiki history use cases', () => {
  let wiki: Wiki;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ wiki, close } = await openTestWiki());
  });
  afterEach(() => close());

  it('shows a commit with every file it changed, attachments as binary', async () => {
    await wiki.writePage('Pics', 'pictures', AS_TESTER);
    const { revision } = await wiki.uploadAttachment(
      'Pics',
      'a.png',
      Buffer.from([0x89, 0x50, 0, 1, 2, 0]),
      AS_TESTER,
    );
    const commit = await wiki.commit(revision);
    expect(commit.author).toBe('Tess');
    expect(commit.files).toEqual([
      expect.objectContaining({ file: 'Pics/a.png', page: null, status: 'added', binary: true }),
    ]);
    expect(commit.parent).toMatch(/^[0-9a-f]{40}$/);
  });

  it('compares a page across a rename-free history and blames as of a revision', async () => {
    const one = await wiki.writePage('Doc', 'a\nb\n', AS_TESTER);
    const two = await wiki.writePage('Doc', 'a\nB\n', { ...AS_TESTER, revision: one.revision });
    const comparison = await wiki.compare('doc', one.revision, two.revision);
    expect(comparison.path).toBe('Doc');
    expect(
      comparison.diff.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'context').map((l) => l.text)),
    ).toEqual(['b', 'B']);
    const then = await wiki.blame('Doc', one.revision);
    expect(then.blocks.map((b) => b.lines.map((l) => l.text))).toEqual([['a', 'b']]);
    const now = await wiki.blame('Doc');
    expect(now.blocks.map((b) => b.commit.revision)).toEqual([one.revision, two.revision]);
  });

  it('reverts the first commit by removing what it added', async () => {
    const first = await wiki.writePage('Seed', 'seed', AS_TESTER);
    await wiki.writePage('Other', 'other', AS_TESTER);
    const result = await wiki.revert(first.revision, AS_TESTER);
    expect(result.pages).toEqual(['Seed']);
    await expect(wiki.readPage('Seed')).rejects.toBeInstanceOf(NotFound);
    expect((await wiki.readPage('Other')).content).toBe('other');
    const commit = await wiki.commit(result.revision);
    expect(commit.message).toBe(`Revert: ${first.revision.slice(0, 7)} (Create: Seed)`);
  });

  it('refuses reverts that would overwrite later work, and bad revisions', async () => {
    const one = await wiki.writePage('Doc', 'v1', AS_TESTER);
    await wiki.writePage('Doc', 'v2', { ...AS_TESTER, revision: one.revision });
    await expect(wiki.revert(one.revision, AS_TESTER)).rejects.toBeInstanceOf(Conflict);
    await expect(wiki.revert('HEAD~1', AS_TESTER)).rejects.toBeInstanceOf(Invalid);
    await expect(wiki.revert('abcdef0', AS_TESTER)).rejects.toBeInstanceOf(NotFound);
    expect((await wiki.readPage('Doc')).content).toBe('v2');
  });
});
