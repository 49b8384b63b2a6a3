import { describe, expect, it } from 'vitest';
import { GitInputError, GitObjectNotFoundError } from '../../src/git/errors.js';
import { ada, commitFiles, gitCli, gitText, tempRepos } from './helpers.js';

const repos = tempRepos();

async function lsTree(gitDir: string, commit: string): Promise<string[]> {
  const out = await gitText(gitDir, ['-c', 'core.quotepath=off', 'ls-tree', '-r', '--name-only', commit]);
  return out === '' ? [] : out.split('\n');
}

describe('commit: create, update, delete', () => {
  it('creates nested paths with unicode names and spaces, readable back by path and by blob id', async () => {
    const repo = await repos.init();
    const files = {
      'Home.md': '# Home\n',
      'A/B/c.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]),
      'Über uns/Café au lait.md': 'crème brûlée\n',
      '日本語/ページ.md': 'こんにちは',
      'with space/and more spaces.md': 'spaced',
    };
    const { sha, parent } = await commitFiles(repo, files, 'first');
    expect(parent).toBeNull();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.tip()).toBe(sha);
    expect(await lsTree(repo.dir, sha)).toEqual(Object.keys(files).sort());

    for (const [path, content] of Object.entries(files)) {
      expect(await repo.readFileAt(sha, path)).toEqual(Buffer.from(content));
    }
    const listed = await repo.listFiles(sha);
    expect(listed.map((f) => f.path).sort()).toEqual(Object.keys(files).sort());
    for (const file of listed) {
      const content = files[file.path as keyof typeof files];
      expect(file).toMatchObject({ mode: '100644', type: 'blob', size: Buffer.byteLength(content) });
      expect(await repo.readBlob(file.sha)).toEqual(Buffer.from(content));
    }
  });

  it('updates one file and leaves the others as they were', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a/x.md': 'x1', 'a/y.md': 'y1', 'b.md': 'b1' });
    const two = await commitFiles(repo, { 'a/x.md': 'x2' });
    expect(two.parent).toBe(one.sha);
    expect((await repo.readFileAt(two.sha, 'a/x.md'))?.toString()).toBe('x2');
    expect((await repo.readFileAt(two.sha, 'a/y.md'))?.toString()).toBe('y1');
    expect((await repo.readFileAt(two.sha, 'b.md'))?.toString()).toBe('b1');
    expect((await repo.readFileAt(one.sha, 'a/x.md'))?.toString()).toBe('x1');
    expect(await gitText(repo.dir, ['rev-parse', `${two.sha}:b.md`])).toBe(
      await gitText(repo.dir, ['rev-parse', `${one.sha}:b.md`]),
    );
  });

  it('deletes files, and directories left empty disappear up to the root', async () => {
    const repo = await repos.init();
    await commitFiles(repo, { 'A/B/C/deep.md': 'deep', 'A/keep.md': 'keep', 'top.md': 'top' });
    const two = await commitFiles(repo, { 'A/B/C/deep.md': null });
    expect(await lsTree(repo.dir, two.sha)).toEqual(['A/keep.md', 'top.md']);
    expect(await gitText(repo.dir, ['ls-tree', '--name-only', `${two.sha}:A`])).toBe('keep.md');

    const three = await commitFiles(repo, { 'A/keep.md': null, 'top.md': null });
    expect(await lsTree(repo.dir, three.sha)).toEqual([]);
    expect(await gitText(repo.dir, ['rev-parse', `${three.sha}^{tree}`])).toBe(
      '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    );
    expect(await repo.readFileAt(three.sha, 'A/keep.md')).toBeNull();
    await gitCli(repo.dir, ['fsck', '--strict', '--no-progress']);
  });

  it('ignores the deletion of a file that does not exist', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a.md': 'a' });
    const two = await commitFiles(repo, { 'nope.md': null, 'no/such/dir.md': null });
    expect(await gitText(repo.dir, ['rev-parse', `${two.sha}^{tree}`])).toBe(
      await gitText(repo.dir, ['rev-parse', `${one.sha}^{tree}`]),
    );
  });

  it('can turn a file into a directory of the same name in one commit', async () => {
    const repo = await repos.init();
    await commitFiles(repo, { Foo: 'was a file' });
    const two = await commitFiles(repo, { Foo: null, 'Foo/chart.png': 'now a dir' });
    expect(await lsTree(repo.dir, two.sha)).toEqual(['Foo/chart.png']);
  });

  it('refuses to write through a file or over a directory, and commits nothing', async () => {
    const repo = await repos.init();
    const { sha } = await commitFiles(repo, { 'Foo.md': 'file', 'Dir/x.md': 'x' });
    await expect(commitFiles(repo, { 'Foo.md/x.png': 'x' })).rejects.toThrow(/below "Foo.md": it is a file/);
    await expect(commitFiles(repo, { Dir: 'x' })).rejects.toThrow(/"Dir": it is a directory/);
    await expect(commitFiles(repo, { Dir: null })).rejects.toThrow(/cannot delete "Dir"/);
    expect(repo.tip()).toBe(sha);
  });

  it('keeps the executable bit of a file it rewrites', async () => {
    const repo = await repos.init();
    const blob = await gitText(repo.dir, ['hash-object', '-w', '--stdin'], '#!/bin/sh\n');
    const tree = await gitText(repo.dir, ['mktree'], `100755 blob ${blob}\trun.sh\n`);
    const root = await gitText(repo.dir, ['commit-tree', '-m', 'cli', tree], '');
    await gitCli(repo.dir, ['update-ref', 'refs/heads/main', root]);
    const { sha } = await commitFiles(repo, { 'run.sh': '#!/bin/sh\necho hi\n', 'new.md': 'n' });
    const modes = Object.fromEntries((await repo.listFiles(sha)).map((f) => [f.path, f.mode]));
    expect(modes).toEqual({ 'run.sh': '100755', 'new.md': '100644' });
  });

  it('writes names that are not valid UTF-8 back byte for byte', async () => {
    const repo = await repos.init();
    const blob = await gitText(repo.dir, ['hash-object', '-w', '--stdin'], 'latin1');
    const name = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in latin1
    const input = Buffer.concat([Buffer.from(`100644 blob ${blob}\t`), name, Buffer.from('\0')]);
    const tree = await gitText(repo.dir, ['mktree', '-z'], input);
    const root = await gitText(repo.dir, ['commit-tree', '-m', 'cli', tree], '');
    await gitCli(repo.dir, ['update-ref', 'refs/heads/main', root]);
    const { sha } = await commitFiles(repo, { 'other.md': 'o' });
    const listing = await gitCli(repo.dir, ['ls-tree', '-z', '--name-only', sha]);
    expect(listing.equals(Buffer.concat([name, Buffer.from('\0other.md\0')]))).toBe(true);
  });

  it('stores content exactly, whatever the line endings and size', async () => {
    const repo = await repos.init();
    const crlf = 'line one\r\nline two\r\n';
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const { sha } = await commitFiles(repo, { 'crlf.md': crlf, 'big.bin': big, 'empty.md': '' });
    expect((await repo.readFileAt(sha, 'crlf.md'))?.toString()).toBe(crlf);
    expect((await repo.readFileAt(sha, 'big.bin'))?.equals(big)).toBe(true);
    expect((await repo.readFileAt(sha, 'empty.md'))?.length).toBe(0);
    const sizes = Object.fromEntries((await repo.listFiles(sha)).map((f) => [f.path, f.size]));
    expect(sizes).toEqual({ 'crlf.md': Buffer.byteLength(crlf), 'big.bin': big.length, 'empty.md': 0 });
  });
});

describe('commit: identity, message and date', () => {
  it('records the request author, the configured committer, the message and the date', async () => {
    const repo = await repos.init({ committer: { name: 'Wiki Server', email: 'server@wiki.example' } });
    const date = new Date('2024-02-29T12:34:56Z');
    const { sha } = await repo.commit(() => ({
      message: '\n[api] Update: Home\n\nwith a body\n\n\n',
      author: { name: ' Grace Hopper ', email: 'grace@navy.mil' },
      changes: [{ path: 'Home.md', content: 'hi' }],
      date,
    }));
    const format = '%an|%ae|%cn|%ce|%at|%ct';
    expect(await gitText(repo.dir, ['log', '-1', `--format=${format}`, sha])).toBe(
      `Grace Hopper|grace@navy.mil|Wiki Server|server@wiki.example|${date.getTime() / 1000}|${date.getTime() / 1000}`,
    );
    expect(await gitText(repo.dir, ['log', '-1', '--format=%B', sha])).toBe(
      '[api] Update: Home\n\nwith a body',
    );
  });

  it('commits as wikibot <wikibot@localhost> by default and leaves a repository git fsck --strict accepts', async () => {
    const repo = await repos.init();
    const { sha } = await commitFiles(repo, { 'a.md': 'a' });
    expect(await gitText(repo.dir, ['log', '-1', '--format=%cn <%ce>', sha])).toBe(
      'wikibot <wikibot@localhost>',
    );
    await gitCli(repo.dir, ['fsck', '--strict', '--no-progress']);
  });

  it.each([
    [{ name: 'Eve\nEvil', email: 'e@x' }, /name contains a control character/],
    [{ name: 'Eve', email: 'e@x\n' }, /email contains a control character/],
    [{ name: 'Eve <evil>', email: 'e@x' }, /name contains "<" or ">"/],
    [{ name: 'Eve', email: 'e>@x' }, /email contains "<" or ">"/],
    [{ name: '  ', email: 'e@x' }, /name is empty/],
  ])('rejects author %j with a clear error and commits nothing', async (author, message) => {
    const repo = await repos.init();
    const attempt = repo.commit(() => ({ message: 'm', author, changes: [{ path: 'a.md', content: 'a' }] }));
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(GitInputError);
    expect(repo.tip()).toBeNull();
  });

  it('rejects an empty message or one with a NUL byte', async () => {
    const repo = await repos.init();
    for (const message of ['', ' \n\n ', 'a\0b']) {
      await expect(
        repo.commit(() => ({ message, author: ada, changes: [{ path: 'a.md', content: 'a' }] })),
      ).rejects.toBeInstanceOf(GitInputError);
    }
    expect(repo.tip()).toBeNull();
  });
});

describe('commit: paths', () => {
  it.each([
    ['', /it is empty/],
    ['/abs.md', /starts with "\/"/],
    ['dir/', /ends with "\/"/],
    ['a//b.md', /empty segment/],
    ['a/../b.md', /".." segment/],
    ['./b.md', /"\." segment/],
    ['.git/config', /".git" segment/],
    ['x/.GIT/hooks', /".git" segment/],
    ['line\nbreak.md', /control character/],
    ['nul\0.md', /control character/],
  ])('rejects the path %j', async (path, message) => {
    const repo = await repos.init();
    await expect(commitFiles(repo, { [path]: 'x' })).rejects.toThrow(message);
    expect(repo.tip()).toBeNull();
  });

  it('rejects the same path twice in one commit', async () => {
    const repo = await repos.init();
    const attempt = repo.commit(() => ({
      message: 'm',
      author: ada,
      changes: [
        { path: 'a.md', content: 'one' },
        { path: 'a.md', content: null },
      ],
    }));
    await expect(attempt).rejects.toThrow(/changed twice/);
  });
});

describe('reading objects', () => {
  it('readBlob: a clear error for an unknown or malformed id; later reads still work', async () => {
    const repo = await repos.init();
    const { sha } = await commitFiles(repo, { 'a.md': 'a' });
    await expect(repo.readBlob('0123456789012345678901234567890123456789')).rejects.toBeInstanceOf(
      GitObjectNotFoundError,
    );
    await expect(repo.readBlob(sha)).rejects.toThrow(/not found/); // a commit is not a blob
    await expect(repo.readBlob('HEAD')).rejects.toBeInstanceOf(GitInputError);
    await expect(repo.readBlob('--batch-all-objects')).rejects.toBeInstanceOf(GitInputError);
    expect((await repo.readFileAt(sha, 'a.md'))?.toString()).toBe('a');
  });

  it('readFileAt: null for a missing file, a directory or an unknown commit', async () => {
    const repo = await repos.init();
    const { sha } = await commitFiles(repo, { 'dir/a.md': 'a' });
    expect(await repo.readFileAt(sha, 'missing.md')).toBeNull();
    expect(await repo.readFileAt(sha, 'dir')).toBeNull();
    expect(await repo.readFileAt('0123456789012345678901234567890123456789', 'dir/a.md')).toBeNull();
    await expect(repo.readFileAt('HEAD', 'dir/a.md')).rejects.toBeInstanceOf(GitInputError);
    expect((await repo.readFileAt(sha.slice(0, 10), 'dir/a.md'))?.toString()).toBe('a');
  });
});
