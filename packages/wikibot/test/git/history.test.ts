import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { GitInputError, GitObjectNotFoundError } from '../../src/git/errors.js';
import type { GitRepository } from '../../src/git/repository.js';
import type { Signature } from '../../src/git/types.js';
import { ada, commitFiles, gitCli, gitText, tempRepos } from './helpers.js';

const repos = tempRepos();
const grace: Signature = { name: 'Grace Hopper', email: 'grace@navy.mil' };

function commitAs(
  repo: GitRepository,
  author: Signature,
  files: Record<string, string | null>,
  message: string,
) {
  return repo.commit(() => ({
    message,
    author,
    changes: Object.entries(files).map(([path, content]) => ({ path, content })),
  }));
}

/** Five commits; `*.md` and `a[1].md` are literal names that pathspec magic would misread. */
async function history() {
  const repo = await repos.init();
  const c1 = (
    await commitAs(repo, ada, { 'Home.md': 'one\ntwo\nthree\n', '*.md': 'star', 'a[1].md': 'a' }, 'c1')
  ).sha;
  const c2 = (await commitAs(repo, grace, { 'Home.md': 'one\nTWO\nthree\n' }, 'c2\n\nbody of c2')).sha;
  const c3 = (await commitAs(repo, ada, { 'Sub/page.md': 'page' }, 'c3')).sha;
  const c4 = (await commitAs(repo, grace, { '*.md': null }, 'c4')).sha;
  const c5 = (
    await commitAs(repo, ada, { 'Home.md': 'one\nTWO\nthree\nfour\n', 'Sub/page.md': 'page 2' }, 'c5')
  ).sha;
  return { repo, c1, c2, c3, c4, c5 };
}

describe('log', () => {
  let h: Awaited<ReturnType<typeof history>>;
  beforeEach(async () => {
    h = await history();
  });
  const shas = (commits: { sha: string }[]) => commits.map((c) => c.sha);

  it('lists the branch newest first with author, date and full message', async () => {
    const log = await h.repo.log();
    expect(shas(log)).toEqual([h.c5, h.c4, h.c3, h.c2, h.c1]);
    const c2 = log[3]!;
    expect(c2).toMatchObject({
      authorName: 'Grace Hopper',
      authorEmail: 'grace@navy.mil',
      message: 'c2\n\nbody of c2',
    });
    expect(c2.date).toBe(await gitText(h.repo.dir, ['log', '-1', '--format=%aI', h.c2]));
    expect(c2.files).toEqual([]);
  });

  it('pages with limit and skip, and reverses', async () => {
    expect(shas(await h.repo.log({ limit: 2 }))).toEqual([h.c5, h.c4]);
    expect(shas(await h.repo.log({ limit: 2, skip: 1 }))).toEqual([h.c4, h.c3]);
    expect(shas(await h.repo.log({ skip: 4 }))).toEqual([h.c1]);
    expect(shas(await h.repo.log({ reverse: true }))).toEqual([h.c1, h.c2, h.c3, h.c4, h.c5]);
    expect(shas(await h.repo.log({ limit: 2, reverse: true }))).toEqual([h.c4, h.c5]);
  });

  it('limits to an exact path, without pathspec magic', async () => {
    expect(shas(await h.repo.log({ path: 'Home.md' }))).toEqual([h.c5, h.c2, h.c1]);
    expect(shas(await h.repo.log({ path: '*.md' }))).toEqual([h.c4, h.c1]);
    expect(shas(await h.repo.log({ path: 'a[1].md' }))).toEqual([h.c1]);
    expect(shas(await h.repo.log({ path: 'Sub' }))).toEqual([h.c5, h.c3]);
    expect(shas(await h.repo.log({ path: 'Home.md', limit: 1 }))).toEqual([h.c5]);
    expect(await h.repo.log({ path: 'never.md' })).toEqual([]);
  });

  it('starts from a commit or walks a range', async () => {
    expect(shas(await h.repo.log({ from: h.c3 }))).toEqual([h.c3, h.c2, h.c1]);
    expect(shas(await h.repo.log({ from: h.c3.slice(0, 8) }))).toEqual([h.c3, h.c2, h.c1]);
    expect(shas(await h.repo.log({ range: `${h.c2}..${h.c4}` }))).toEqual([h.c4, h.c3]);
    expect(shas(await h.repo.log({ range: `${h.c2}..${h.c5}`, reverse: true }))).toEqual([h.c3, h.c4, h.c5]);
    expect(await h.repo.log({ range: `${h.c5}..${h.c5}` })).toEqual([]);
  });

  it('lists the files each commit touched', async () => {
    const log = await h.repo.log({ withFiles: true });
    expect(log.map((c) => c.files)).toEqual([
      ['Home.md', 'Sub/page.md'],
      ['*.md'],
      ['Sub/page.md'],
      ['Home.md'],
      ['*.md', 'Home.md', 'a[1].md'],
    ]);
    expect(log.map((c) => c.message)).toEqual(['c5', 'c4', 'c3', 'c2\n\nbody of c2', 'c1']);
  });

  it('reports a merge by its first-parent changes and includes the merged commits', async () => {
    const { repo, c1, c5 } = h;
    const blob = await gitText(repo.dir, ['hash-object', '-w', '--stdin'], 'from the side');
    const sideTree = await gitText(
      repo.dir,
      ['mktree'],
      `${await gitText(repo.dir, ['ls-tree', c1])}\n100644 blob ${blob}\tside.md\n`,
    );
    const side = await gitText(repo.dir, ['commit-tree', '-p', c1, '-m', 'side', sideTree]);
    const mergeTree = await gitText(
      repo.dir,
      ['mktree'],
      `${await gitText(repo.dir, ['ls-tree', c5])}\n100644 blob ${blob}\tside.md\n`,
    );
    const merge = await gitText(repo.dir, ['commit-tree', '-p', c5, '-p', side, '-m', 'merge', mergeTree]);
    await gitCli(repo.dir, ['update-ref', 'refs/heads/main', merge]);

    const log = await repo.log({ withFiles: true, limit: 3 });
    const bySha = new Map(log.map((c) => [c.sha, c.files]));
    expect(bySha.get(merge)).toEqual(['side.md']);
    expect(bySha.get(side)).toEqual(['side.md']);
  });

  it('returns nothing for an empty repository', async () => {
    const empty = await repos.init();
    expect(await empty.log()).toEqual([]);
    expect(await empty.log({ withFiles: true, path: 'x.md' })).toEqual([]);
  });

  it('rejects revisions and counts that are not plain commit ids and numbers', async () => {
    await expect(h.repo.log({ from: '--all' })).rejects.toBeInstanceOf(GitInputError);
    await expect(h.repo.log({ from: 'HEAD~1' })).rejects.toBeInstanceOf(GitInputError);
    await expect(h.repo.log({ range: 'HEAD..main' })).rejects.toBeInstanceOf(GitInputError);
    await expect(h.repo.log({ range: `${h.c1}...${h.c2}` })).rejects.toBeInstanceOf(GitInputError);
    await expect(h.repo.log({ limit: -1 })).rejects.toBeInstanceOf(GitInputError);
    await expect(h.repo.log({ skip: 1.5 })).rejects.toBeInstanceOf(GitInputError);
    await expect(h.repo.log({ path: '../x' })).rejects.toBeInstanceOf(GitInputError);
  });
});

describe('diffTrees', () => {
  it('reports additions, modifications and deletions with the new blob ids', async () => {
    const { repo, c1, c2, c3, c4, c5 } = await history();
    const blob = (commit: string, path: string) => gitText(repo.dir, ['rev-parse', `${commit}:${path}`]);
    expect(await repo.diffTrees(c1, c2)).toEqual([
      { status: 'M', path: 'Home.md', sha: await blob(c2, 'Home.md') },
    ]);
    expect(await repo.diffTrees(c2, c3)).toEqual([
      { status: 'A', path: 'Sub/page.md', sha: await blob(c3, 'Sub/page.md') },
    ]);
    expect(await repo.diffTrees(c3, c4)).toEqual([{ status: 'D', path: '*.md', sha: null }]);
    expect(await repo.diffTrees(c1, c5)).toEqual([
      { status: 'D', path: '*.md', sha: null },
      { status: 'M', path: 'Home.md', sha: await blob(c5, 'Home.md') },
      { status: 'A', path: 'Sub/page.md', sha: await blob(c5, 'Sub/page.md') },
    ]);
    expect(await repo.diffTrees(c5, c5)).toEqual([]);
  });

  it('from the empty tree lists every file as added', async () => {
    const { repo, c1 } = await history();
    const changes = await repo.diffTrees(null, c1);
    expect(changes.map((c) => [c.status, c.path])).toEqual([
      ['A', '*.md'],
      ['A', 'Home.md'],
      ['A', 'a[1].md'],
    ]);
    expect(changes.every((c) => /^[0-9a-f]{40}$/.test(c.sha ?? ''))).toBe(true);
  });

  it('reports a file turned into a symlink as a type change', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a.md': 'a', 'b.md': 'b' });
    const link = await gitText(repo.dir, ['hash-object', '-w', '--stdin'], 'b.md');
    const b = await gitText(repo.dir, ['rev-parse', `${one.sha}:b.md`]);
    const tree = await gitText(repo.dir, ['mktree'], `120000 blob ${link}\ta.md\n100644 blob ${b}\tb.md\n`);
    const two = await gitText(repo.dir, ['commit-tree', '-p', one.sha, '-m', 'link', tree]);
    expect(await repo.diffTrees(one.sha, two)).toEqual([{ status: 'T', path: 'a.md', sha: link }]);
  });
});

describe('commitInfo and resolveCommit', () => {
  it('commitInfo: author, email, ISO date and message of a commit, by full id or prefix', async () => {
    const { repo, c2 } = await history();
    const info = await repo.commitInfo(c2);
    expect(info).toEqual({
      sha: c2,
      authorName: 'Grace Hopper',
      authorEmail: 'grace@navy.mil',
      date: await gitText(repo.dir, ['log', '-1', '--format=%aI', c2]),
      message: 'c2\n\nbody of c2',
    });
    expect(await repo.commitInfo(c2.slice(0, 9))).toEqual(info);
    expect((await repo.log({ from: c2, limit: 1 }))[0]).toEqual({ ...info, files: [] });
  });

  it('commitInfo: null for unknown ids, non-commits and anything that is not hex', async () => {
    const { repo, c1 } = await history();
    const blob = await gitText(repo.dir, ['rev-parse', `${c1}:Home.md`]);
    for (const rev of ['0123456789abcdef0123456789abcdef01234567', blob, 'HEAD', '--all', `${c1}^`, 'main']) {
      expect(await repo.commitInfo(rev)).toBeNull();
    }
  });

  it('commitInfo: dates keep the offset of the time zone they were made in', async () => {
    const repo = await repos.init();
    const tree = await gitText(repo.dir, ['mktree'], '');
    const body = `tree ${tree}\nauthor Kiri <k@nz> 1700000000 +1245\ncommitter Kiri <k@nz> 1700000000 +1245\n\nchatham\n`;
    const sha = await gitText(repo.dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], body);
    expect((await repo.commitInfo(sha))?.date).toBe('2023-11-15T10:58:20+12:45');
    expect(await gitText(repo.dir, ['log', '-1', '--format=%aI', sha])).toBe('2023-11-15T10:58:20+12:45');
  });

  it('resolveCommit: a full id or unique prefix of at least 4 hex digits, any case', async () => {
    const { repo, c3 } = await history();
    expect(await repo.resolveCommit(c3)).toBe(c3);
    expect(await repo.resolveCommit(c3.slice(0, 7))).toBe(c3);
    expect(await repo.resolveCommit(c3.slice(0, 7).toUpperCase())).toBe(c3);
  });

  it('resolveCommit: null for options, ref expressions, non-hex, short, unknown and non-commit input', async () => {
    const { repo, c1, c3 } = await history();
    const blob = await gitText(repo.dir, ['rev-parse', `${c1}:Home.md`]);
    const bad = [
      '--all',
      '-p',
      'HEAD',
      'HEAD~1',
      'main',
      `${c3}~1`,
      `${c3}^{tree}`,
      `${c3}:Home.md`,
      'xyz1234',
    ];
    for (const rev of [...bad, '', 'abc', 'g'.repeat(40), ' '.repeat(8), `${c3.slice(0, 7)}\n`, blob]) {
      expect(await repo.resolveCommit(rev)).toBeNull();
    }
    expect(await repo.resolveCommit('0123456789012345678901234567890123456789')).toBeNull();
  });

  it('resolveCommit: null for a prefix two commits share', async () => {
    const repo = await repos.init();
    const [first, second] = await writeCommitsSharingPrefix(repo.dir, 4);
    const prefix = first.slice(0, 4);
    expect(second.startsWith(prefix)).toBe(true);
    expect(await repo.resolveCommit(prefix)).toBeNull();
    expect(await repo.resolveCommit(first)).toBe(first);
    expect(await repo.resolveCommit(second)).toBe(second);
  });

  it('resolveCommit sees commits made after its reader started', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a.md': '1' });
    expect(await repo.resolveCommit(one.sha.slice(0, 7))).toBe(one.sha);
    const tree = await gitText(repo.dir, ['rev-parse', `${one.sha}^{tree}`]);
    const outside = await gitText(repo.dir, ['commit-tree', '-p', one.sha, '-m', 'by the CLI', tree]);
    expect(await repo.resolveCommit(outside.slice(0, 7))).toBe(outside);
  });
});

/** Writes two commit objects whose ids share their first `length` hex digits (found by hashing locally). */
async function writeCommitsSharingPrefix(gitDir: string, length: number): Promise<[string, string]> {
  const tree = await gitText(gitDir, ['mktree'], '');
  const byPrefix = new Map<string, string>();
  for (let i = 0; ; i++) {
    const body = `tree ${tree}\nauthor A <a@x> 0 +0000\ncommitter A <a@x> 0 +0000\n\nprobe ${i}\n`;
    const sha = createHash('sha1')
      .update(`commit ${Buffer.byteLength(body)}\0${body}`)
      .digest('hex');
    const earlier = byPrefix.get(sha.slice(0, length));
    if (earlier !== undefined) {
      const write = (text: string) => gitText(gitDir, ['hash-object', '-t', 'commit', '-w', '--stdin'], text);
      return [await write(earlier), await write(body)];
    }
    byPrefix.set(sha.slice(0, length), body);
  }
}

describe('diff', () => {
  it('is a unified diff between two commits', async () => {
    const { repo, c1, c2 } = await history();
    const diff = await repo.diff(c1, c2);
    expect(diff).toContain('diff --git a/Home.md b/Home.md');
    expect(diff).toContain('--- a/Home.md\n+++ b/Home.md');
    expect(diff).toContain('-two\n+TWO\n');
    expect(diff).not.toContain('Sub/page.md');
  });

  it('from the empty tree shows new files; limited to exact paths', async () => {
    const { repo, c1, c3, c4, c5 } = await history();
    expect(await repo.diff(null, c1)).toContain('new file mode 100644\nindex 0000000..');
    const limited = await repo.diff(c1, c5, ['Sub/page.md']);
    expect(limited).toContain('+++ b/Sub/page.md');
    expect(limited).not.toContain('Home.md');
    const literal = await repo.diff(c3, c4, ['*.md']);
    expect(literal).toContain('deleted file mode 100644');
    expect(literal).toContain('--- a/*.md');
    expect(await repo.diff(c1, c1)).toBe('');
  });

  it('rejects ids that are not hex', async () => {
    const { repo, c1 } = await history();
    await expect(repo.diff('HEAD', c1)).rejects.toBeInstanceOf(GitInputError);
    await expect(repo.diff(c1, '--output=/tmp/x')).rejects.toBeInstanceOf(GitInputError);
  });
});

describe('blame', () => {
  it('attributes every line to the commit and author that last changed it', async () => {
    const { repo, c1, c2 } = await history();
    const lines = await repo.blame(c2, 'Home.md');
    expect(lines.map((l) => [l.lineNumber, l.content, l.sha, l.authorName])).toEqual([
      [1, 'one', c1, 'Ada Lovelace'],
      [2, 'TWO', c2, 'Grace Hopper'],
      [3, 'three', c1, 'Ada Lovelace'],
    ]);
    expect(lines[1]!.date).toBe((await repo.commitInfo(c2))!.date);
  });

  it('as of an older commit, and for unicode content', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'Über/ä.md': 'grüße\n日本\n' });
    await commitFiles(repo, { 'Über/ä.md': 'grüße\nchanged\n' });
    expect((await repo.blame(one.sha, 'Über/ä.md')).map((l) => l.content)).toEqual(['grüße', '日本']);
  });

  it('a clear error for a missing file', async () => {
    const { repo, c1 } = await history();
    await expect(repo.blame(c1, 'missing.md')).rejects.toBeInstanceOf(GitObjectNotFoundError);
    await expect(repo.blame('HEAD', 'Home.md')).rejects.toBeInstanceOf(GitInputError);
  });
});
