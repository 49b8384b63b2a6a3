import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { cloneUrl, gitOk } from './support.js';

const FILES = 50;
const FILE_BYTES = 1024 * 1024;
const MiB = 1024 * 1024;

let dataDir: string;
let work: string;
let server: ServeProcess;
let token: string;
let smallToken: string;

/** Resident memory of a process, in bytes, from /proc. */
async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib[1]) * 1024;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-git-stream-'));
  work = await mkdtemp(join(tmpdir(), 'wikibot-git-stream-client-'));
  await runCli(['--data', dataDir, 'wiki', 'create', 'main']);
  // A small wiki (its bootstrap pages) for a first clone that loads what any clone needs.
  await runCli(['--data', dataDir, 'wiki', 'create', 'small']);
  const small = await runCli([
    '--data',
    dataDir,
    'token',
    'create',
    '--wiki',
    'small',
    '--scopes',
    'wiki:read',
  ]);
  smallToken = small.stdout.trim().split('\n').at(-1) as string;
  // 50 MiB of incompressible attachments, pushed straight into the wiki's repository.
  const seed = join(work, 'seed');
  await mkdir(join(seed, 'Big'), { recursive: true });
  await gitOk(work, ['init', '--quiet', '--initial-branch=main', seed]);
  await writeFile(join(seed, 'Big.md'), '# Big\n');
  for (let i = 0; i < FILES; i++)
    await writeFile(join(seed, 'Big', `part-${i}.bin`), randomBytes(FILE_BYTES));
  await gitOk(seed, ['add', '.']);
  await gitOk(seed, ['commit', '--quiet', '-m', 'Fifty megabytes']);
  await gitOk(seed, ['push', '--quiet', '--force', join(dataDir, 'wikis', 'main', 'repo.git'), 'main']);
  token = await createTokenWithCli(dataDir, 'wiki:read');
  // One render thread, loaded below by a page view before the baseline is taken. A small young
  // generation: chunks already sent are collected within a megabyte or two instead of piling up to
  // V8's default (16 MiB per semi-space), so what the RSS shows is what the server keeps.
  server = await serveProcess(['--data', dataDir, '--port', '0'], {
    WIKIBOT_WORK_THREADS: '1',
    NODE_OPTIONS: '--max-semi-space-size=1',
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
  await removeDir(work);
});

it('streams a 50 MiB clone with the server memory growing far less than the repository', async () => {
  const pid = server.child.pid!;
  // Warm up: the wiki opened and its index built (a page read), the render thread loaded (a page
  // view), and everything a clone uses loaded by a clone of the small wiki.
  const page = await fetch(`${server.url}/w/main/api/v1/pages/Big`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(page.status).toBe(200);
  const view = await fetch(`${server.url}/w/main/Big`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/html' },
  });
  expect(view.status).toBe(200);
  await gitOk(work, [
    'clone',
    '--quiet',
    '--bare',
    cloneUrl(server.url, 'small', smallToken),
    join(work, 'small'),
  ]);
  const baseline = await rss(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    rss(pid).then(
      (bytes) => {
        peak = Math.max(peak, bytes);
      },
      () => undefined,
    );
  }, 20);
  try {
    await gitOk(work, [
      'clone',
      '--quiet',
      '--bare',
      cloneUrl(server.url, 'main', token),
      join(work, 'clone'),
    ]);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, await rss(pid));

  // Every blob arrived: ls-tree -l reads each one's size from the cloned objects.
  const listing = await gitOk(join(work, 'clone'), ['ls-tree', '-r', '-l', 'main', 'Big']);
  const sizes = listing
    .trim()
    .split('\n')
    .map((line) => Number(line.split(/\s+/)[3]));
  expect(sizes).toEqual(Array(FILES).fill(FILE_BYTES));
  const growth = peak - baseline;
  console.info(`server RSS ${(baseline / MiB).toFixed(1)} MiB → peak ${(peak / MiB).toFixed(1)} MiB`);
  // Streaming keeps no pack whole: the growth stays far below the 50 MiB a buffered pack would add.
  expect(growth).toBeLessThan((FILES * FILE_BYTES) / 2);
}, 180_000);
