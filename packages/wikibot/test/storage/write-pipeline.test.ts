import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/repository.js';
import { WikiIndex } from '../../src/index/wikiIndex.js';
import { Conflict, Invalid } from '../../src/wiki/errors.js';
import { Wiki } from '../../src/wiki/wiki.js';
import { removeDir } from '../support/server.js';

/**
 * Writes arriving together in one process are committed in chains (see WritePipeline): each must
 * still be its own commit, checked against exactly the version it lands on.
 */
let dir: string;
let wiki: Wiki;
const by = (name: string, message?: string) => ({
  actor: { name, email: `${name.toLowerCase()}@example.org` },
  source: 'api' as const,
  ...(message ? { message } : {}),
});
const git = (...args: string[]) =>
  execFileSync('git', ['-C', join(dir, 'repo.git'), ...args], { encoding: 'utf8' }).trim();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wikibot-pipeline-'));
  const repo = await GitRepository.init(join(dir, 'repo.git'));
  wiki = new Wiki('t', repo, WikiIndex.open(join(dir, 'index.sqlite'), repo));
});

afterEach(async () => {
  await wiki.close();
  await removeDir(dir);
});

describe('concurrent writes in one process', () => {
  it('each acknowledged write is its own commit, with its own author, message and content', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      wiki.writePage(
        `Team ${i % 10}/Note ${i}`,
        `# Note ${i}\n\nby writer ${i % 10}`,
        by(`Writer${i % 10}`, `note ${i}`),
      ),
    );
    const results = await Promise.all(writes);
    expect(new Set(results.map((r) => r.revision)).size).toBe(40);
    expect(Number(git('rev-list', '--count', 'main'))).toBe(40);
    for (const [i, result] of results.entries()) {
      expect(result.created).toBe(true);
      expect(git('show', '-s', '--format=%an <%ae>|%s', result.revision)).toBe(
        `Writer${i % 10} <writer${i % 10}@example.org>|note ${i}`,
      );
      // The commit changes exactly its own page.
      expect(git('show', '--format=', '--name-only', result.revision)).toBe(`Team ${i % 10}/Note ${i}.md`);
      expect(git('show', `${result.revision}:Team ${i % 10}/Note ${i}.md`)).toBe(
        `# Note ${i}\n\nby writer ${i % 10}`,
      );
    }
    expect((await wiki.listPages()).total).toBe(40);
    expect((await wiki.readPage('Team 3/Note 13')).revision).toBe(results[13]!.revision);
    git('fsck', '--strict', '--no-progress');
  });

  it('of several updates based on one revision exactly one lands; the others are refused with the revision that won', async () => {
    const base = await wiki.writePage('Shared', 'v0', by('Ada'));
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        wiki.writePage('Shared', `v1 by ${i}`, { ...by(`W${i}`), revision: base.revision }),
      ),
    );
    const landed = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(landed).toHaveLength(1);
    const refusals = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
    expect(refusals).toHaveLength(5);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(Conflict);
      expect((refusal as Conflict).currentRevision).toBe(landed[0]!.revision);
    }
    const page = await wiki.readPage('Shared');
    expect(page.revision).toBe(landed[0]!.revision);
    expect(git('rev-list', '--count', 'main')).toBe('2');
  });

  it('a write refused by its checks fails alone; the writes queued with it land', async () => {
    const a = await wiki.writePage('A', 'alpha', by('Ada'));
    await wiki.writePage('A', 'alpha 2', { ...by('Ada'), revision: a.revision });
    await wiki.writePage('Patchable', 'one two three', by('Ada'));
    const before = Number(git('rev-list', '--count', 'main'));
    const [first, stale, badEdit, second] = await Promise.allSettled([
      wiki.writePage('B', 'bravo', by('Bob', 'b')),
      wiki.writePage('A', 'overwrites unseen', { ...by('Eve'), revision: a.revision }),
      wiki.patchPage(
        'Patchable',
        { revision: (await wiki.readPage('Patchable')).revision, oldString: 'four', newString: '4' },
        by('Eve'),
      ),
      wiki.writePage('C', 'charlie', by('Cy', 'c')),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('fulfilled');
    expect(stale.status === 'rejected' && stale.reason).toBeInstanceOf(Conflict);
    expect(badEdit.status === 'rejected' && badEdit.reason).toBeInstanceOf(Invalid);
    expect(Number(git('rev-list', '--count', 'main'))).toBe(before + 2);
    expect(git('log', '-2', '--format=%an %s')).toBe('Cy c\nBob b');
    expect((await wiki.readPage('A')).content).toBe('alpha 2');
  });

  it('an edit queued behind a write to the same page is checked against that write', async () => {
    const base = await wiki.writePage('Doc', 'one two', by('Ada'));
    const [update, edit] = await Promise.allSettled([
      wiki.writePage('Doc', 'one two three', { ...by('Bob'), revision: base.revision }),
      wiki.patchPage('Doc', { revision: base.revision, oldString: 'two', newString: '2' }, by('Eve')),
    ]);
    expect(update.status).toBe('fulfilled');
    expect(edit.status === 'rejected' && edit.reason).toBeInstanceOf(Conflict);
    expect((await wiki.readPage('Doc')).content).toBe('one two three');
  });

  it('writes that would put a file where a chain-mate puts a folder never land together', async () => {
    // The first write commits alone; the two behind it queue meanwhile and form one chain.
    const [, page, below] = await Promise.allSettled([
      wiki.writePage('First', 'first', by('Cy')),
      wiki.writePage('Foo', 'a page', by('Ann')),
      wiki.writePage('Foo.md/Bar', 'a page below a file', by('Bob')),
    ]);
    expect(page.status).toBe('fulfilled');
    expect(below.status).toBe('rejected');
    expect((below as PromiseRejectedResult).reason).toBeInstanceOf(Invalid);
    git('fsck', '--strict', '--no-progress');
  });

  it('pages written together into one folder typed in two cases share its first spelling', async () => {
    const [, one, two] = await Promise.all([
      wiki.writePage('First', 'first', by('Cy')),
      wiki.writePage('Dir/One', 'one', by('Ann')),
      wiki.writePage('DIR/Two', 'two', by('Bob')),
    ]);
    expect([one.path, two.path]).toEqual(['Dir/One', 'Dir/Two']);
    expect(git('ls-tree', '--name-only', 'main')).toBe('Dir\nFirst.md');
    git('fsck', '--strict', '--no-progress');
  });

  it('a rename commits alone, and writes queued behind it see the pages where it put them', async () => {
    await wiki.writePage('Old', 'content', by('Ada'));
    const [renamed, recreated] = await Promise.all([
      wiki.renamePage('Old', 'New', by('Ada')),
      wiki.writePage('Old', 'a new page at the old name', by('Bob')),
    ]);
    expect(renamed.newPath).toBe('New');
    expect(recreated.created).toBe(true);
    expect((await wiki.readPage('New')).content).toBe('content');
    expect((await wiki.readPage('Old')).content).toBe('a new page at the old name');
  });
});
