import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Copy an existing repository (a path or URL) into a new bare repository whose default branch is
 * `branch`: the source's checked-out branch is renamed when it is called something else (Otterwiki
 * repositories usually use master). The `ext::` transport is refused.
 */
export async function cloneBare(source: string, dir: string, branch = 'main'): Promise<void> {
  if (existsSync(dir)) throw new Error(`Destination already exists: ${dir}`);
  if (/^-/.test(source) || /^ext::/i.test(source)) throw new Error(`Refusing to clone from ${source}`);
  const git = (args: string[], cwd?: string) =>
    run('git', ['-c', 'protocol.ext.allow=never', ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
  await git(['clone', '--bare', '--quiet', '--', source, dir]);
  const head = (await git(['symbolic-ref', '--short', 'HEAD'], dir)).stdout.trim();
  const branches = (
    await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/'], dir)
  ).stdout.split('\n');
  if (head !== branch && !branches.includes(branch) && branches.includes(head)) {
    await git(['branch', '-m', head, branch], dir);
  }
  await git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], dir);
}
