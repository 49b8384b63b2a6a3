import { spawnSync } from 'node:child_process';
import { link, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommitRetriesExhaustedError } from '../../src/git/errors.js';
import type { GitRepository } from '../../src/git/repository.js';
import { ada, commitFiles, gitCli, gitText, moveBranchWithCli, tempRepos } from './helpers.js';

const repos = tempRepos();

class PageConflict extends Error {}

/** A commit that adds `path` and appends `line` to shared.md as it is at the tip `prepare` is shown. */
function appendCommit(repo: GitRepository, path: string, line: string) {
  return repo.commit(async (tip) => {
    const current = tip === null ? null : await repo.readFileAt(tip, 'shared.md');
    return {
      message: `add ${path}`,
      author: ada,
      changes: [
        { path, content: line },
        { path: 'shared.md', content: `${current?.toString() ?? ''}${line}\n` },
      ],
    };
  });
}

describe('compare-and-swap publication', () => {
  it('a writer that lost the race is asked to prepare again on the new tip, and both commits land', async () => {
    const a = await repos.init();
    const b = await repos.open(a.dir);
    const base = (await commitFiles(a, { 'base.md': 'base' })).sha;
    const shown: (string | null)[] = [];
    let winner: string | undefined;
    const result = await a.commit(async (tip) => {
      shown.push(tip);
      winner ??= (await commitFiles(b, { 'b.md': 'from b' })).sha; // b moves the branch under a
      return { message: 'from a', author: ada, changes: [{ path: 'a.md', content: 'from a' }] };
    });
    expect(shown).toEqual([base, winner]);
    expect(result.parent).toBe(winner);
    expect(a.tip()).toBe(result.sha);
    expect((await a.listFiles(result.sha)).map((f) => f.path)).toEqual(['a.md', 'b.md', 'base.md']);
    expect(await gitText(a.dir, ['rev-list', '--count', 'main'])).toBe('3');
  });

  it('a chain is published whole with one compare-and-swap; on a lost race it is prepared again on the new tip', async () => {
    const a = await repos.init();
    const b = await repos.open(a.dir);
    const base = (await commitFiles(a, { 'base.md': 'base' })).sha;
    const shown: (string | null)[] = [];
    let winner: string | undefined;
    const chain = await a.commitChain(async (tip) => {
      shown.push(tip);
      winner ??= (await commitFiles(b, { 'b.md': 'from b' })).sha; // b moves the branch under a
      return [
        { message: 'first', author: ada, changes: [{ path: 'x.md', content: 'one' }] },
        {
          message: 'second',
          author: { name: 'Grace', email: 'grace@example.com' },
          changes: [{ path: 'x.md', content: 'two' }],
        },
      ];
    });
    expect(shown).toEqual([base, winner]);
    expect(chain.map((c) => c.parent)).toEqual([winner, chain[0]!.sha]);
    expect(a.tip()).toBe(chain[1]!.sha);
    const log = await gitText(a.dir, ['log', '--format=%an %s', `${winner}..main`]);
    expect(log.split('\n')).toEqual(['Grace second', 'Ada Lovelace first']);
    expect((await a.readFileAt(chain[0]!.sha, 'x.md'))?.toString()).toBe('one');
    expect((await a.readFileAt(chain[1]!.sha, 'x.md'))?.toString()).toBe('two');
    expect(await a.commitChain(() => [])).toEqual([]);
    expect(a.tip()).toBe(chain[1]!.sha);
  });

  it('the first commit of an empty repository also loses a race safely', async () => {
    const a = await repos.init();
    const b = await repos.open(a.dir);
    const shown: (string | null)[] = [];
    const result = await a.commit(async (tip) => {
      shown.push(tip);
      if (tip === null) await commitFiles(b, { 'b.md': 'b' });
      return { message: 'a', author: ada, changes: [{ path: 'a.md', content: 'a' }] };
    });
    expect(shown[0]).toBeNull();
    expect(shown[1]).toBe(result.parent);
    expect(await gitText(a.dir, ['rev-list', '--count', 'main'])).toBe('2');
  });

  it('an error thrown by prepare on the retry aborts the commit unchanged', async () => {
    const a = await repos.init();
    const b = await repos.open(a.dir);
    const base = (await commitFiles(a, { 'page.md': 'v1' })).sha;
    const attempt = a.commit(async (tip) => {
      if (tip !== base) throw new PageConflict(`page changed, now at ${tip}`);
      await commitFiles(b, { 'page.md': 'v2 by b' });
      return { message: 'a', author: ada, changes: [{ path: 'page.md', content: 'v2 by a' }] };
    });
    await expect(attempt).rejects.toBeInstanceOf(PageConflict);
    const tip = a.tip()!;
    expect(tip).not.toBe(base);
    expect((await a.readFileAt(tip, 'page.md'))?.toString()).toBe('v2 by b');
  });

  it('gives up with a clear error when every attempt loses', async () => {
    const repo = await repos.init({ maxCommitAttempts: 3 });
    await commitFiles(repo, { 'base.md': 'base' });
    let calls = 0;
    const attempt = repo.commit(async (tip) => {
      calls++;
      await moveBranchWithCli(repo.dir, tip!); // like a push that always gets in first
      return { message: 'a', author: ada, changes: [{ path: 'a.md', content: 'a' }] };
    });
    await expect(attempt).rejects.toBeInstanceOf(CommitRetriesExhaustedError);
    await expect(attempt).rejects.toThrow(/3 attempts/);
    expect(calls).toBe(3);
    expect(await repo.readFileAt(repo.tip()!, 'a.md')).toBeNull();
  });

  it('respects the ref lock git takes: no commit lands while another writer holds it', async () => {
    const repo = await repos.init({ maxCommitAttempts: 3 });
    const { sha } = await commitFiles(repo, { 'base.md': 'base' });
    const lock = join(repo.dir, 'refs', 'heads', 'main.lock');
    await writeFile(lock, ''); // as git update-ref or receive-pack hold it while they move the branch
    await expect(commitFiles(repo, { 'a.md': 'a' })).rejects.toBeInstanceOf(CommitRetriesExhaustedError);
    expect(repo.tip()).toBe(sha);
    await rm(lock);
    const next = await commitFiles(repo, { 'a.md': 'a' });
    expect(await gitText(repo.dir, ['rev-parse', 'main'])).toBe(next.sha);
    expect(next.parent).toBe(sha);
  });

  it('takes over a ref lock left by a wikibot process that died holding it, never one git holds', async () => {
    const repo = await repos.init({ maxCommitAttempts: 3 });
    const { sha } = await commitFiles(repo, { 'base.md': 'base' });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const spare = join(repo.dir, 'wikibot-spare-files', `ref-${dead}-1`);
    const lock = join(repo.dir, 'refs', 'heads', 'main.lock');
    await writeFile(spare, '');
    await link(spare, lock); // as a writer leaves it when killed between taking and renaming it
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const next = await commitFiles(repo, { 'a.md': 'a' });
    expect(next.parent).toBe(sha);
    expect(await gitText(repo.dir, ['rev-parse', 'main'])).toBe(next.sha);

    await rm(spare);
    await writeFile(lock, ''); // git's own, however old
    await utimes(lock, old, old);
    await expect(commitFiles(repo, { 'b.md': 'b' })).rejects.toBeInstanceOf(CommitRetriesExhaustedError);
    expect(repo.tip()).toBe(next.sha);
  });

  it('appends to the reflog of the branch when it has one, as git does', async () => {
    const repo = await repos.init();
    await commitFiles(repo, { 'a.md': 'a' });
    await mkdir(join(repo.dir, 'logs', 'refs', 'heads'), { recursive: true });
    await writeFile(join(repo.dir, 'logs', 'refs', 'heads', 'main'), ''); // bare repositories keep none
    const second = await commitFiles(repo, { 'b.md': 'b' });
    const third = await commitFiles(repo, { 'c.md': 'c' });
    expect(await gitText(repo.dir, ['reflog', 'show', '--format=%H %gn', 'main'])).toBe(
      `${third.sha} wikibot\n${second.sha} wikibot`,
    );
  });

  it('concurrent commits through two instances and within one all land, none lost', async () => {
    const a = await repos.init();
    const b = await repos.open(a.dir);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      writes.push(appendCommit(a, `a/${i}.md`, `a${i}`));
      writes.push(appendCommit(b, `b/${i}.md`, `b${i}`));
    }
    await Promise.all(writes);
    const tip = a.tip()!;
    expect(await gitText(a.dir, ['rev-list', '--count', 'main'])).toBe('30');
    const lines = (await a.readFileAt(tip, 'shared.md'))!.toString().trim().split('\n');
    expect(lines.sort()).toEqual([...Array(15).keys()].flatMap((i) => [`a${i}`, `b${i}`]).sort());
    expect((await a.listFiles(tip)).length).toBe(31);
    await gitCli(a.dir, ['fsck', '--strict', '--no-progress']);
  });
});
