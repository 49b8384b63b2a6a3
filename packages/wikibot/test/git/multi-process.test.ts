import { type ChildProcess, execFile, fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, gitCli, gitText, tempRepos } from './helpers.js';

const repos = tempRepos();
const gitSources = fileURLToPath(new URL('../../src/git/', import.meta.url));
const worker = fileURLToPath(new URL('./fixtures/commit-worker.mjs', import.meta.url));
let buildDir: string;

/** The git layer compiled to plain JS for the workers (type-stripped, nothing else of the package). */
beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'wikibot-git-build-'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const flags = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--noCheck'];
  await promisify(execFile)(process.execPath, [
    tsc,
    ...flags,
    '--outDir',
    buildDir,
    '--rootDir',
    gitSources,
    join(gitSources, 'repository.ts'),
  ]);
  await writeFile(join(buildDir, 'package.json'), '{"type":"module"}\n');
  await mkdir(join(buildDir, 'tmp'));
});

afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

interface WorkerRun {
  child: ChildProcess;
  /** Acknowledged commits, in order. */
  acked: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWorker(repoDir: string, id: number, commits: number): WorkerRun {
  const child = fork(worker, [join(buildDir, 'repository.js'), repoDir, String(id), String(commits)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // a killed worker may leave staging files behind: keep them where afterAll cleans up
    env: { ...process.env, TMPDIR: join(buildDir, 'tmp') },
  });
  const acked: string[] = [];
  child.on('message', (message: { sha: string }) => acked.push(message.sha));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, acked, exited };
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('several processes writing one repository', () => {
  it('4 processes x 40 commits to their own and a shared file: every commit lands, nothing is lost', async () => {
    const repo = await repos.init();
    await commitFiles(repo, { 'README.md': 'shared repository\n' });
    const workers = [1, 2, 3, 4].map((id) => startWorker(repo.dir, id, 40));
    const results = await Promise.all(workers.map((w) => w.exited));
    for (const result of results) expect(result).toEqual({ code: 0, signal: null, stderr: '' });

    const reachable = new Set((await gitText(repo.dir, ['rev-list', 'main'])).split('\n'));
    expect(reachable.size).toBe(1 + 4 * 40);
    for (const w of workers) {
      expect(w.acked).toHaveLength(40);
      for (const sha of w.acked) expect(reachable.has(sha)).toBe(true);
    }

    const tip = repo.tip()!;
    const files = await repo.listFiles(tip);
    expect(files).toHaveLength(1 + 4 * 40 + 1);
    for (const id of [1, 2, 3, 4]) {
      for (const i of [0, 17, 39]) {
        const content = await repo.readFileAt(tip, `workers/${id}/${i}.md`);
        expect(content?.toString()).toBe(`worker ${id} commit ${i}\n`);
      }
    }
    const shared = (await repo.readFileAt(tip, 'shared/log.md'))!.toString().trim().split('\n');
    const expected = [1, 2, 3, 4].flatMap((id) => [...Array(20).keys()].map((k) => `${id}:${2 * k}`));
    expect([...shared].sort()).toEqual(expected.sort());
    // each worker's own appends kept their order
    for (const id of [1, 2, 3, 4]) {
      const mine = shared.filter((line) => line.startsWith(`${id}:`));
      expect(mine).toEqual([...mine].sort((x, y) => Number(x.split(':')[1]) - Number(y.split(':')[1])));
    }

    await gitCli(repo.dir, ['fsck', '--strict', '--no-progress']);
  });

  it('a writer killed with SIGKILL mid-storm loses none of its acknowledged commits', async () => {
    const repo = await repos.init();
    const victim = startWorker(repo.dir, 1, 200);
    const others = [2, 3].map((id) => startWorker(repo.dir, id, 40));
    await waitFor(() => victim.acked.length >= 10);
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    for (const result of await Promise.all(others.map((w) => w.exited))) expect(result.code).toBe(0);

    const reachable = new Set((await gitText(repo.dir, ['rev-list', 'main'])).split('\n'));
    for (const sha of [...victim.acked, ...others.flatMap((w) => w.acked)])
      expect(reachable.has(sha)).toBe(true);
    expect(reachable.size).toBeGreaterThanOrEqual(victim.acked.length + 80);

    // the repository stays writable and consistent
    const after = await commitFiles(repo, { 'after.md': 'still writable' });
    expect(repo.tip()).toBe(after.sha);
    await gitCli(repo.dir, ['fsck', '--strict', '--no-progress']);
  });
});
