import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The git client as a user runs it, kept from this machine's git configuration and from prompting. */
export const GIT_CLIENT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Git User',
  GIT_AUTHOR_EMAIL: 'git-user@example.com',
  GIT_COMMITTER_NAME: 'Git User',
  GIT_COMMITTER_EMAIL: 'git-user@example.com',
  LC_ALL: 'C',
};

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the git CLI in `cwd` (with `env` added); resolves with its exit code and output whatever the code. */
export async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<GitResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('git', args, {
      cwd,
      env: { ...GIT_CLIENT_ENV, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Like `git`, but a failure is an error naming git's output. */
export async function gitOk(cwd: string, args: string[]): Promise<string> {
  const result = await git(cwd, args);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** `http://<host>/w/<slug>.git` with the token as the Basic password (any user name). */
export function cloneUrl(serverUrl: string, slug: string, token?: string): string {
  const url = new URL(`/w/${slug}.git`, serverUrl);
  if (token) {
    url.username = 'anyone';
    url.password = token;
  }
  return url.href;
}
