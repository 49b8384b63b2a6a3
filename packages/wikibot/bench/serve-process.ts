import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../bin/wikibot.js', import.meta.url));

export interface Served {
  url: string;
  child: ChildProcess;
  /** From spawning the process to the first 200 of a page read. */
  firstReadMs: number;
  /** CPU time (user + system) the process had used by then. */
  cpuMs: number;
  stop(): Promise<void>;
}

/** `wikibot serve` on a free port, timed to its first page read of `firstPage` (an API path). */
export async function serveTimed(
  dataDir: string,
  token: string,
  firstPage: string,
  args: string[] = [],
): Promise<Served> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, '--data', dataDir, 'serve', '--port', '0', ...args], {
    env: { ...process.env, WIKIBOT_LOG_LEVEL: 'warn', WIKIBOT_ADMIN_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await listeningUrl(child);
  await firstRead(`${url}${firstPage}`, token);
  const firstReadMs = performance.now() - started;
  return {
    url,
    child,
    firstReadMs,
    cpuMs: cpuMs(child.pid as number),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The URL a `wikibot serve` child announces on stderr once it listens. */
export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let err = '';
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /wikibot listening on (\S+)/.exec(err);
      if (match) resolve(match[1] as string);
    });
  });
}

/** Reads `url` until it answers 200. */
export async function firstRead(url: string, token: string): Promise<void> {
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status === 200) return;
  }
}

/** User + system CPU time of a process, from /proc (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = procStat(String(pid));
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** User + system CPU time of this process's children that have exited and been waited for. */
export function childrenCpuMs(): number {
  const fields = procStat('self');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** The fields of /proc/<pid>/stat after the command name, the process state first. */
function procStat(pid: string): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** A small server run by `node -e script` on loopback; the script prints the port it listens on. */
export async function scriptServer(script: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: () => child.kill() };
}
