import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../../scripts/build.mjs', import.meta.url));

/**
 * scripts/build.mjs (npm run build; npm start and npm install's prepare with --if-stale) on a small
 * git checkout laid out like this repository: one workspace whose build counts its runs.
 */
let repo: string;
const builds = async () => (await readFile(join(repo, 'builds.log'), 'utf8').catch(() => '')).length;
const buildIfStale = () =>
  run(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--if-stale'], { cwd: repo });
const git = (...args: string[]) => run('git', args, { cwd: repo });
/**
 * A file written by a checkout after the last build: modified just after the build's stamp. Two
 * milliseconds past its whole millisecond: mtimeMs is a float (316.999 for a stamp set to 317) and a
 * Date drops the fraction, so "stamp + 1 ms" can land back on the stamp.
 */
const changed = async (file: string) => {
  const built = (await stat(join(repo, 'packages/app/dist/.build-stamp'))).mtimeMs;
  const after = new Date(Math.floor(built) + 2);
  await utimes(join(repo, file), after, after);
};

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'wikibot-build-'));
  const pkg = join(repo, 'packages', 'app');
  await mkdir(join(pkg, 'src'), { recursive: true });
  await mkdir(join(pkg, 'test'), { recursive: true });
  await mkdir(join(repo, 'scripts'));
  await copyFile(SCRIPT, join(repo, 'scripts', 'build.mjs'));
  await writeFile(join(repo, 'package.json'), JSON.stringify({ private: true, workspaces: ['packages/*'] }));
  await writeFile(join(repo, '.gitignore'), 'dist/\nbuilds.log\n');
  await writeFile(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'app',
      scripts: {
        build:
          "node -e \"const fs=require('fs');fs.mkdirSync('dist',{recursive:true});fs.writeFileSync('dist/app.js','');fs.appendFileSync('../../builds.log','x')\"",
      },
    }),
  );
  await writeFile(join(pkg, 'src', 'app.ts'), 'export const a = 1;\n');
  await writeFile(join(pkg, 'src', 'other.ts'), 'export const b = 2;\n');
  await writeFile(join(pkg, 'test', 'app.test.ts'), '// a test\n');
  await git('init', '--quiet');
  await git('add', '-A');
}, 60_000);
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('building once', () => {
  it('builds a fresh checkout, then skips the build while nothing changed', async () => {
    await buildIfStale();
    expect(await builds()).toBe(1);
    await buildIfStale();
    expect(await builds()).toBe(1);
  });

  it('rebuilds after a source changed (as after a git pull), once', async () => {
    await changed('packages/app/src/app.ts');
    await buildIfStale();
    await buildIfStale();
    expect(await builds()).toBe(2);
  });

  it('rebuilds when a source is deleted or a new one appears', async () => {
    await rm(join(repo, 'packages/app/src/other.ts'));
    await buildIfStale();
    expect(await builds()).toBe(3);
    await writeFile(join(repo, 'packages/app/src/new.ts'), 'export const c = 3;\n');
    await buildIfStale();
    expect(await builds()).toBe(4);
  });

  it('rebuilds when the output is gone or the lock file changed', async () => {
    await rm(join(repo, 'packages/app/dist'), { recursive: true });
    await buildIfStale();
    expect(await builds()).toBe(5);
    await writeFile(join(repo, 'package-lock.json'), '{}');
    await buildIfStale();
    expect(await builds()).toBe(6);
  });

  it('does not rebuild for a changed test', async () => {
    await changed('packages/app/test/app.test.ts');
    await buildIfStale();
    expect(await builds()).toBe(6);
  });

  it('always builds without --if-stale', async () => {
    await run(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo });
    expect(await builds()).toBe(7);
  });
});
