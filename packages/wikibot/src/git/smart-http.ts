import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { gitArgv, gitEnv } from './run-git.js';

/** The two services of git's smart HTTP protocol: fetch/clone, and push. */
export type GitService = 'git-upload-pack' | 'git-receive-pack';
export const GIT_SERVICES: readonly GitService[] = ['git-upload-pack', 'git-receive-pack'];

/** What checks a push before its refs move: a module run as receive-pack's pre-receive hook. */
export interface PushCheck {
  /** ES module exporting `runPreReceive(settings)`; it reads the ref updates on stdin, as git gives them. */
  module: URL;
  /** Handed to `runPreReceive` as its only argument. */
  settings: Record<string, unknown>;
}

export interface ExchangeOptions {
  /** The request body is gzip-compressed, as git sends larger fetch negotiations. */
  gzip?: boolean;
  /** Required for `git-receive-pack`: the check every push passes before it lands. */
  push?: PushCheck;
  /** Runs after git exited and before the response ends (e.g. to catch the index up with a push). */
  afterExit?: (exitCode: number | null) => Promise<void>;
  /** git's stderr when it failed, for the log. */
  onFailure?: (message: string) => void;
}

/** Bytes of git output held for a slow client before git is paused. */
const OUTPUT_HIGH_WATER_MARK = 256 * 1024;
const MAX_STDERR_CHARS = 4000;
/** How long an exchange may go without a byte moving either way before its git process is ended. */
const IDLE_TIMEOUT_MS = 5 * 60_000;

/**
 * The body of `GET info/refs?service=…`: the service announcement, then git's ref advertisement
 * (`--stateless-rpc --advertise-refs`), streamed.
 */
export function advertiseRefs(
  gitDir: string,
  service: GitService,
  options: Pick<ExchangeOptions, 'onFailure'> = {},
): ReadableStream<Uint8Array> {
  const announcement = pktLine(`# service=${service}\n`);
  const args = [serviceCommand(service), '--stateless-rpc', '--advertise-refs', gitDir];
  return runStreaming(gitArgv(gitDir, args), null, {
    ...options,
    prefix: Buffer.concat([announcement, FLUSH]),
  });
}

/**
 * The body of `POST <service>`: the request body streamed into `git upload-pack|receive-pack
 * --stateless-rpc`, its answer streamed back. Nothing is buffered whole in either direction. Pushes run
 * with `push.module` as the pre-receive hook (objects wait in git's quarantine until it accepts them)
 * and land through receive-pack's ref transaction, a compare-and-swap on the old tip under the ref lock.
 */
export async function serviceExchange(
  gitDir: string,
  service: GitService,
  body: ReadableStream<Uint8Array> | null,
  options: ExchangeOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const config: string[] = [];
  if (service === 'git-receive-pack') {
    if (!options.push) throw new Error('a push needs a push check');
    const hooks = await hooksDirectory(options.push);
    config.push('-c', `core.hooksPath=${hooks}`);
    config.push('-c', 'receive.denyNonFastForwards=true', '-c', 'receive.denyDeletes=true');
    config.push('-c', 'receive.fsckObjects=true');
  }
  const args = [...config, serviceCommand(service), '--stateless-rpc', gitDir];
  const input = body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : null;
  return runStreaming(gitArgv(gitDir, args), input, options);
}

function serviceCommand(service: GitService): string {
  return service === 'git-upload-pack' ? 'upload-pack' : 'receive-pack';
}

/** A pkt-line: four hex digits of length (including themselves), then the payload. */
function pktLine(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, '0')), payload]);
}
const FLUSH = Buffer.from('0000');

/**
 * Run git with `input` on stdin and its stdout as a web stream that pulls: git is paused while the
 * client is slower than git, so memory stays bounded by the high-water mark, not by the pack.
 */
function runStreaming(
  argv: string[],
  input: Readable | null,
  options: ExchangeOptions & { prefix?: Buffer },
): ReadableStream<Uint8Array> {
  const child = spawn('git', argv, { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString('utf8');
  });
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  child.stdin.on('error', () => {
    // git may exit before reading all of its input; its exit status tells what happened.
  });
  // A client that stops sending or reading holds a git process: end it once nothing moved for a while.
  const idle = setTimeout(() => child.kill(), IDLE_TIMEOUT_MS);
  const progressed = () => idle.refresh();
  child.once('close', () => clearTimeout(idle));
  child.stdout.on('data', progressed);
  input?.on('data', progressed);
  if (input === null) child.stdin.end();
  else {
    // A client that goes away mid-body, or a corrupt gzip stream: git must not wait for the rest.
    const fed = options.gzip ? pipeline(input, createGunzip(), child.stdin) : pipeline(input, child.stdin);
    fed.catch(() => child.kill());
  }
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let canceled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (options.prefix) controller.enqueue(new Uint8Array(options.prefix));
        child.stdout.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) child.stdout.pause();
        });
        void exited.then(async (code) => {
          if (code !== 0)
            options.onFailure?.(spawnError?.message ?? (stderr.trim() || `git exited with ${code}`));
          try {
            await options.afterExit?.(code);
          } catch (error) {
            options.onFailure?.(`after git: ${(error as Error).message}`);
          }
          if (canceled) return;
          if (code === 0) controller.close();
          else controller.error(new Error('git failed'));
        });
      },
      pull() {
        child.stdout.resume();
      },
      cancel() {
        canceled = true;
        child.kill();
      },
    },
    { highWaterMark: OUTPUT_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

/** One hooks directory per push check, made once per process and removed when it exits. */
const hookDirectories = new Map<string, Promise<string>>();

function hooksDirectory(check: PushCheck): Promise<string> {
  const script = [
    `#!${process.execPath}`,
    `import(${JSON.stringify(check.module.href)}).then(`,
    `  (hook) => hook.runPreReceive(${JSON.stringify(check.settings)}),`,
    "  (error) => { console.error('wikibot could not check this push:', error?.message ?? error); process.exitCode = 1; },",
    ');',
    '',
  ].join('\n');
  let dir = hookDirectories.get(script);
  if (!dir) {
    dir = (async () => {
      const made = await mkdtemp(join(tmpdir(), 'wikibot-hooks-'));
      process.once('exit', () => rmSync(made, { recursive: true, force: true }));
      const hook = join(made, 'pre-receive');
      await writeFile(hook, script);
      await chmod(hook, 0o755);
      return made;
    })();
    hookDirectories.set(script, dir);
  }
  return dir;
}
