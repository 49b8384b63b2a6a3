import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const CLI = fileURLToPath(new URL('../../bin/wikibot.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/bundle/main.js', import.meta.url));

function assertBuilt(): void {
  if (!existsSync(DIST))
    throw new Error('packages/wikibot/dist is missing: run `npm run build` (npm test does) first');
}

/** Run `wikibot …` to completion. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  assertBuilt();
  return promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  output(): string;
  /** Everything the process wrote to stderr so far. */
  errors(): string;
  /** The first stdout line (logs are buffered briefly) that satisfies `match`, waiting up to 10 s for it. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Start `wikibot serve` in its own OS process; resolves when it announces the URL it listens on. */
export async function serveProcess(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  assertBuilt();
  // One process unless a test asks for workers: tests read one process's output and signal it.
  const workers = args.includes('--workers') ? [] : ['--workers', '1'];
  const child = spawn(process.execPath, [CLI, 'serve', ...workers, ...args], {
    env: { ...process.env, WIKIBOT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const announced = new Promise<string>((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /wikibot listening on (\S+)/.exec(stderr);
      if (match) resolve(match[1] as string);
    });
  });
  const lineWaiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const check of lineWaiters) check();
  });
  const waitForLine = (match: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = stdout.split('\n').find(match);
        if (line === undefined) return;
        lineWaiters.delete(check);
        clearTimeout(timer);
        resolve(line);
      };
      const timer = setTimeout(() => {
        lineWaiters.delete(check);
        reject(new Error('no matching output line within 60 s'));
      }, 60_000); // generous: a loaded machine may take long, only a missing line should fail
      lineWaiters.add(check);
      check();
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`serve did not start within 60 s: ${stderr}`)), 60_000);
  });
  try {
    const url = await Promise.race([announced, failed, timedOut]);
    return {
      url,
      child,
      output: () => stdout,
      errors: () => stderr,
      waitForLine,
      async stop(signal = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
    failed.catch(() => undefined);
  }
}

/** `wikibot token create` for a wiki; returns the token (the last line of its output). */
export async function createTokenWithCli(
  dataDir: string,
  scopes = 'wiki:read,wiki:write',
  name?: string,
): Promise<string> {
  const args = ['--data', dataDir, 'token', 'create', '--wiki', 'main', '--scopes', scopes];
  const { stdout } = await runCli(name ? [...args, '--name', name] : args);
  return stdout.trim().split('\n').at(-1) as string;
}
