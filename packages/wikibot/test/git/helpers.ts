import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { GitRepository, type GitRepositoryOptions } from '../../src/git/repository.js';
import type { Signature } from '../../src/git/types.js';

export const ada: Signature = { name: 'Ada Lovelace', email: 'ada@example.org' };

/** Runs the real git CLI on a repository, independently of the code under test. */
export function gitCli(gitDir: string, args: string[], input?: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
    const child = spawn('git', [`--git-dir=${gitDir}`, ...args], { env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // git may not read its stdin; the exit code tells
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(input ?? '');
  });
}

export async function gitText(gitDir: string, args: string[], input?: Buffer | string): Promise<string> {
  return (await gitCli(gitDir, args, input)).toString('utf8').trim();
}

/** Commits on top of `tip` with the git CLI (an empty change) and moves the branch there. */
export async function moveBranchWithCli(gitDir: string, tip: string): Promise<void> {
  const tree = await gitText(gitDir, ['rev-parse', `${tip}^{tree}`]);
  const commit = await gitText(gitDir, ['commit-tree', '-p', tip, '-m', 'pushed', tree]);
  await gitCli(gitDir, ['update-ref', 'refs/heads/main', commit, tip]);
}

/** Temp directories and repositories for one test file, removed/closed after each test. */
export function tempRepos() {
  const dirs: string[] = [];
  const repos: GitRepository[] = [];
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((repo) => repo.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const helper = {
    async dir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'wikibot-git-test-'));
      dirs.push(dir);
      return dir;
    },
    track(repo: GitRepository): GitRepository {
      repos.push(repo);
      return repo;
    },
    async init(opts?: GitRepositoryOptions & { branch?: string }): Promise<GitRepository> {
      return helper.track(await GitRepository.init(join(await helper.dir(), 'repo.git'), opts));
    },
    async open(dir: string, opts?: GitRepositoryOptions): Promise<GitRepository> {
      return helper.track(await GitRepository.open(dir, opts));
    },
  };
  return helper;
}

/** One commit by Ada: `files` maps paths to content, null deletes. */
export function commitFiles(
  repo: GitRepository,
  files: Record<string, string | Buffer | null>,
  message = 'change',
): Promise<{ sha: string; parent: string | null }> {
  return repo.commit(() => ({
    message,
    author: ada,
    changes: Object.entries(files).map(([path, content]) => ({ path, content })),
  }));
}
