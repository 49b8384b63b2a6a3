#!/usr/bin/env node
// `npm run build`: build every workspace, then stamp each workspace's dist/ with the time the build
// started and the list of its inputs. With --if-stale (npm start, npm install's prepare, npm test)
// the build is skipped when no input was added, deleted or changed since: inputs are the files git
// tracks or would track under packages/ (tests, benchmarks and Markdown aside), the root
// package.json, package-lock.json and tsconfig.base.json. A `git pull` or checkout gives the files
// it writes the current time, so stale output is always rebuilt; without git, it always builds.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT_INPUTS = new Set(['package.json', 'package-lock.json', 'tsconfig.base.json']);
const NOT_BUILT = /^packages\/[^/]+\/(test|bench)\/|\.md$/;
const stamps = readdirSync(join(root, 'packages')).map((name) =>
  join(root, 'packages', name, 'dist', '.build-stamp'),
);

if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
const started = new Date();
const build = spawnSync('npm', ['run', 'build', '--workspaces', '--if-present'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const list = listHash(inputs());
for (const stamp of stamps) {
  writeFileSync(stamp, `${list}\n`);
  utimesSync(stamp, started, started);
}

function isFresh() {
  const files = inputs();
  if (!files) return false;
  const list = listHash(files);
  let builtAt = Number.POSITIVE_INFINITY;
  for (const stamp of stamps) {
    try {
      if (readFileSync(stamp, 'utf8').trim() !== list) return false;
      builtAt = Math.min(builtAt, statSync(stamp).mtimeMs);
    } catch {
      return false;
    }
  }
  return files.every(
    (file) =>
      (statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY) <= builtAt,
  );
}

/** The files the build reads (as git lists them, relative to the root), or undefined without git. */
function inputs() {
  try {
    return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\0')
      .filter((file) => ROOT_INPUTS.has(file) || (file.startsWith('packages/') && !NOT_BUILT.test(file)))
      .filter((file) => existsSync(join(root, file)))
      .sort();
  } catch {
    return undefined;
  }
}

function listHash(files) {
  return files ? createHash('sha256').update(files.join('\0')).digest('hex') : 'no list (built without git)';
}
