import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { GitError } from './errors.js';

/**
 * The environment of every git child: the inherited one without any GIT_* variable (a hook or a parent
 * git must not redirect us to another repository or index), no system config, C locale so error
 * messages are stable, and no prompts.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_FLUSH = '1';
  env.LC_ALL = 'C';
  return env;
}

/** argv for a git command on `gitDir`: the repository is always explicit, never discovered. */
export function gitArgv(gitDir: string, args: readonly string[]): string[] {
  return [`--git-dir=${gitDir}`, '-c', 'core.quotepath=off', ...args];
}

export function spawnGit(gitDir: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn('git', gitArgv(gitDir, args), { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface RunOptions {
  /** Bytes for stdin. */
  input?: Buffer | string;
  /** Exit codes that are not failures (default: only 0). */
  okExitCodes?: readonly number[];
  /** Receives stdout as it arrives; then the resolved Buffer is empty. */
  onStdout?: (chunk: Buffer) => void;
  /** Told the exit code before the promise resolves (for commands whose status is a count). */
  onExit?: (code: number) => void;
}

/** Run one git command to completion; resolves with stdout, rejects with a `GitError`. */
export function runGit(gitDir: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(gitDir, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: Error | undefined;
    let consumerError: unknown;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!options.onStdout) {
        out.push(chunk);
        return;
      }
      if (consumerError !== undefined) return;
      try {
        options.onStdout(chunk);
      } catch (error) {
        consumerError = error;
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {
      // git may exit before reading all of stdin; its exit status tells what happened.
    });
    child.on('close', (code, signal) => {
      if (consumerError !== undefined) {
        reject(consumerError);
        return;
      }
      if (spawnError) {
        reject(new GitError(args, code, `could not run git: ${spawnError.message}`));
        return;
      }
      if (code !== null && (code === 0 || options.okExitCodes?.includes(code))) {
        options.onExit?.(code);
        resolve(Buffer.concat(out));
        return;
      }
      reject(new GitError(args, code, Buffer.concat(err).toString('utf8'), signal));
    });
    child.stdin.end(options.input ?? '');
  });
}
