import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitInputError, NotAGitRepositoryError } from '../../src/git/errors.js';
import { GitRepository } from '../../src/git/repository.js';
import { commitFiles, gitCli, gitText, tempRepos } from './helpers.js';

const repos = tempRepos();

describe('GitRepository.init / open', () => {
  it('creates a bare repository whose branch is main and which has no tip yet', async () => {
    const repo = await repos.init();
    expect(repo.branch).toBe('main');
    expect(repo.tip()).toBeNull();
    expect(await gitText(repo.dir, ['rev-parse', '--is-bare-repository'])).toBe('true');
    expect(await gitText(repo.dir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
  });

  it('creates missing parent directories and honours another branch name', async () => {
    const dir = join(await repos.dir(), 'a', 'b', 'wiki.git');
    const repo = repos.track(await GitRepository.init(dir, { branch: 'trunk' }));
    expect(repo.branch).toBe('trunk');
    await commitFiles(repo, { 'x.md': 'x' });
    expect(await gitText(dir, ['rev-parse', 'refs/heads/trunk'])).toBe(repo.tip());
  });

  it('opens an existing repository on a second init, keeping its content', async () => {
    const first = await repos.init();
    const { sha } = await commitFiles(first, { 'x.md': 'x' });
    const again = repos.track(await GitRepository.init(first.dir));
    expect(again.tip()).toBe(sha);
  });

  it('rejects a bad branch name', async () => {
    const dir = join(await repos.dir(), 'r.git');
    for (const branch of ['-x', 'a..b', 'a b', 'x.lock', '']) {
      await expect(GitRepository.init(dir, { branch })).rejects.toBeInstanceOf(GitInputError);
    }
  });

  it('refuses to open a directory that is not a git repository', async () => {
    const dir = await repos.dir();
    await expect(GitRepository.open(dir)).rejects.toBeInstanceOf(NotAGitRepositoryError);
    await expect(GitRepository.open(join(dir, 'missing'))).rejects.toThrow(/not a git repository/);
  });

  it('refuses to init over a non-empty directory that is not a repository', async () => {
    const dir = await repos.dir();
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(GitRepository.init(dir)).rejects.toBeInstanceOf(NotAGitRepositoryError);
  });

  it('refuses a non-bare repository', async () => {
    const dir = await repos.dir();
    await gitCli(join(dir, '.git'), ['init', '--quiet']);
    await expect(GitRepository.open(join(dir, '.git'))).rejects.toThrow(/not a bare repository/);
  });

  it('refuses a repository whose HEAD is detached', async () => {
    const repo = await repos.init();
    const { sha } = await commitFiles(repo, { 'x.md': 'x' });
    await writeFile(join(repo.dir, 'HEAD'), `${sha}\n`);
    await expect(GitRepository.open(repo.dir)).rejects.toThrow(/HEAD does not name a branch/);
  });

  it('rejects an invalid committer identity', async () => {
    const repo = await repos.init();
    await expect(
      GitRepository.open(repo.dir, { committer: { name: 'bot\n', email: 'b@x' } }),
    ).rejects.toThrow(/invalid committer/);
  });
});

describe('SHA-256 repositories', () => {
  it('commit, read, list, diff and log work with 64-digit ids', async () => {
    const dir = join(await repos.dir(), 'sha256.git');
    await gitCli(dir, ['init', '--quiet', '--bare', '--object-format=sha256', '--initial-branch=main']);
    const repo = await repos.open(dir);
    const one = await commitFiles(repo, { 'A/B/c.md': 'deep', 'top.md': 'top' });
    expect(one.sha).toMatch(/^[0-9a-f]{64}$/);
    const two = await commitFiles(repo, { 'A/B/c.md': null, 'top.md': 'top 2' });
    expect(repo.tip()).toBe(two.sha);
    expect((await repo.readFileAt(two.sha, 'top.md'))?.toString()).toBe('top 2');
    expect((await repo.listFiles(two.sha)).map((f) => f.path)).toEqual(['top.md']);
    expect((await repo.diffTrees(one.sha, two.sha)).map((c) => [c.status, c.path])).toEqual([
      ['D', 'A/B/c.md'],
      ['M', 'top.md'],
    ]);
    expect(await repo.diff(null, one.sha)).toContain('+++ b/A/B/c.md');
    expect((await repo.log()).map((c) => c.sha)).toEqual([two.sha, one.sha]);
    expect(await repo.resolveCommit(two.sha.slice(0, 12))).toBe(two.sha);
    await gitCli(dir, ['fsck', '--strict', '--no-progress']);
  });
});

describe('tip()', () => {
  it('follows the branch as commits land, including commits made by the git CLI', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a.md': '1' });
    expect(repo.tip()).toBe(one.sha);
    const two = await commitFiles(repo, { 'a.md': '2' });
    expect(repo.tip()).toBe(two.sha);
    const tree = await gitText(repo.dir, ['rev-parse', `${two.sha}^{tree}`]);
    const outside = await gitText(repo.dir, ['commit-tree', '-p', two.sha, '-m', 'cli', tree]);
    await gitCli(repo.dir, ['update-ref', 'refs/heads/main', outside]);
    expect(repo.tip()).toBe(outside);
  });

  it('reads packed refs, and a loose ref again when one is written after packing', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a.md': '1' });
    await gitCli(repo.dir, ['pack-refs', '--all']);
    await expect(gitCli(repo.dir, ['show-ref', '--verify', 'refs/heads/main'])).resolves.toBeDefined();
    expect(repo.tip()).toBe(one.sha);

    const two = await commitFiles(repo, { 'a.md': '2' });
    expect(repo.tip()).toBe(two.sha);

    // packed-refs rewritten with a same-sized new value: the cache must notice
    await gitCli(repo.dir, ['pack-refs', '--all']);
    expect(repo.tip()).toBe(two.sha);
    await gitCli(repo.dir, ['update-ref', 'refs/heads/main', one.sha]);
    await gitCli(repo.dir, ['pack-refs', '--all']);
    expect(repo.tip()).toBe(one.sha);
  });

  it('recentTip() reads the ref once per turn of the event loop; commits of this process move it at once', async () => {
    const repo = await repos.init();
    const one = await commitFiles(repo, { 'a.md': '1' });
    const two = await commitFiles(repo, { 'a.md': '2' });
    expect(repo.recentTip()).toBe(two.sha);
    // Another process moves the branch within this turn (git runs synchronously here).
    const updateRef = (sha: string) =>
      execFileSync('git', [`--git-dir=${repo.dir}`, 'update-ref', 'refs/heads/main', sha]);
    updateRef(one.sha);
    expect(repo.recentTip()).toBe(two.sha);
    expect(repo.tip()).toBe(one.sha);
    expect(repo.recentTip(), 'an exact read replaces what this turn read').toBe(one.sha);
    updateRef(two.sha);
    await new Promise((resolve) => setImmediate(resolve));
    expect(repo.recentTip(), 'the next turn reads the ref again').toBe(two.sha);
    const three = await commitFiles(repo, { 'a.md': '3' });
    expect(repo.recentTip()).toBe(three.sha);
  });

  it('keeps working after git gc packs refs and objects', async () => {
    const repo = await repos.init();
    await commitFiles(repo, { 'a.md': 'before gc' });
    const blob = await gitText(repo.dir, ['rev-parse', 'main:a.md']);
    await gitCli(repo.dir, ['gc', '--quiet', '--prune=now']);
    expect((await repo.readBlob(blob)).toString()).toBe('before gc');
    const after = await commitFiles(repo, { 'b.md': 'after gc', 'a.md': null });
    expect(repo.tip()).toBe(after.sha);
    expect(await repo.listFiles(after.sha)).toMatchObject([{ path: 'b.md' }]);
    await gitCli(repo.dir, ['fsck', '--strict', '--no-progress']);
  });
});

describe('maintenance', () => {
  it('writes each commit as a pack, and combines the packs in the background once there are enough', async () => {
    const repo = await repos.init({ repackAfterPacks: 3 });
    await commitFiles(repo, { 'a.md': 'first' });
    await commitFiles(repo, { 'b.md': 'second' });
    const before = await gitText(repo.dir, ['count-objects', '-v']);
    expect(before).toMatch(/^count: 0$/m);
    expect(before).toMatch(/^packs: 2$/m);
    await commitFiles(repo, { 'c.md': 'third' });
    await repo.close(); // waits for the repack it started
    const after = await gitText(repo.dir, ['count-objects', '-v']);
    expect(after).toMatch(/^count: 0$/m);
    expect(after).toMatch(/^packs: 1$/m);
    const reopened = await repos.open(repo.dir);
    expect((await reopened.readFileAt(reopened.tip()!, 'a.md'))?.toString()).toBe('first');
    await commitFiles(reopened, { 'd.md': 'after repacking' });
    await gitCli(repo.dir, ['fsck', '--strict', '--no-progress']);
  });
});

describe('long-lived git processes', () => {
  it('restart when one is killed: reads and commits keep working', async () => {
    const repo = await repos.init();
    const { sha } = await commitFiles(repo, { 'a.md': 'alive' });
    const blob = await gitText(repo.dir, ['rev-parse', 'main:a.md']);
    expect((await repo.readBlob(blob)).toString()).toBe('alive');

    const killed = gitChildren(repo.dir);
    expect(killed.length).toBeGreaterThanOrEqual(1); // cat-file (commits run no git process)
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    await waitFor(() => gitChildren(repo.dir).every((pid) => !killed.includes(pid)));

    expect((await repo.readBlob(blob)).toString()).toBe('alive');
    expect((await repo.readFileAt(sha, 'a.md'))?.toString()).toBe('alive');
    const next = await commitFiles(repo, { 'a.md': 'again' });
    expect(repo.tip()).toBe(next.sha);
    expect(next.parent).toBe(sha);
  });

  it('end on close() and are not needed for tip()', async () => {
    const dir = join(await repos.dir(), 'r.git');
    const repo = await GitRepository.init(dir);
    await commitFiles(repo, { 'a.md': 'x' });
    await repo.readFileAt(repo.tip()!, 'a.md');
    expect(gitChildren(dir).length).toBeGreaterThan(0);
    await repo.close();
    expect(gitChildren(dir)).toEqual([]);
    expect(repo.tip()).toMatch(/^[0-9a-f]{40}$/);
    await expect(repo.readBlob('0'.repeat(40))).rejects.toThrow(/closed/);
  });

  it('answers many concurrent reads each with its own object', async () => {
    const repo = await repos.init();
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`p/${i}.md`] = `page ${i} `.repeat(i);
    const { sha } = await commitFiles(repo, files);
    const read = await Promise.all(Object.keys(files).map((path) => repo.readFileAt(sha, path)));
    expect(read.map((content) => content?.toString())).toEqual(Object.values(files));
  });
});

/** Pids of this process's git children working on `gitDir` (Linux /proc). */
function gitChildren(gitDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (ppid === process.pid && cmdline.includes(`--git-dir=${gitDir}`)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
