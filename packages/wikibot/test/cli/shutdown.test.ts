import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';

let dataDir: string;
let token: string;
let server: ServeProcess | undefined;
const sockets: Socket[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-shutdown-'));
  await runCli(['--data', dataDir, 'wiki', 'create', 'main']);
  token = await createTokenWithCli(dataDir);
}, 60_000);
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.stop('SIGKILL');
});
afterAll(() => removeDir(dataDir));

/** A raw HTTP/1.1 client connection, with everything it has received so far. */
async function open(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, received: () => text, closed };
}

/** Resolves once `check` holds for what the connection received (checked on every chunk). */
function until(socket: Socket, received: () => string, check: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const test = () => {
      if (!check(received())) return;
      socket.off('data', test);
      socket.off('close', gone);
      resolve(received());
    };
    const gone = () =>
      check(received()) ? resolve(received()) : reject(new Error(`closed after: ${received()}`));
    socket.on('data', test);
    socket.once('close', gone);
    test();
  });
}

/** Start a PUT whose body is held back: resolves once the server has taken the request (100 Continue). */
async function startWrite(url: string, page: string, body: string) {
  const connection = await open(url);
  connection.socket.write(
    [
      `PUT /w/main/api/v1/pages/${page} HTTP/1.1`,
      `Host: ${new URL(url).host}`,
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Expect: 100-continue',
      '',
      '',
    ].join('\r\n'),
  );
  await until(connection.socket, connection.received, (text) => text.startsWith('HTTP/1.1 100 Continue'));
  return connection;
}

function exitOf(child: ServeProcess['child']): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('wikibot serve on SIGTERM', () => {
  it('stops accepting, finishes a write in flight (acknowledged and in git), closes idle connections and exits 0', async () => {
    server = await serveProcess(['--data', dataDir, '--port', '0']);
    const url = server.url;
    const exited = exitOf(server.child);

    // An idle keep-alive connection, and a write the server has taken but whose body is still to come.
    const idle = await open(url);
    idle.socket.write(`GET /health HTTP/1.1\r\nHost: ${new URL(url).host}\r\n\r\n`);
    await until(idle.socket, idle.received, (text) => text.includes('{"status":"ok"}'));
    const body = JSON.stringify({ content: 'written while stopping' });
    const write = await startWrite(url, 'InFlight', body);

    server.child.kill('SIGTERM');
    await server.waitForLine((line) => line.includes('"event":"shutdown"'));
    await expect(fetch(`${url}/health`)).rejects.toThrow(); // no longer accepting
    await idle.closed; // the idle connection is closed, not left to time out

    write.socket.write(body);
    const response = await until(write.socket, write.received, (text) => /\r\n\r\n\{.*\}$/s.test(text));
    expect(response).toMatch(/HTTP\/1\.1 201 Created/);
    expect(response).toMatch(/\r\nConnection: close\r\n/i);
    const revision = JSON.parse(response.slice(response.lastIndexOf('\r\n\r\n') + 4)).revision as string;

    expect(await exited).toBe(0);
    const repo = join(dataDir, 'wikis/main/repo.git');
    const git = promisify(execFile);
    expect((await git('git', ['-C', repo, 'rev-parse', 'main'])).stdout.trim()).toBe(revision);
    expect((await git('git', ['-C', repo, 'show', 'main:InFlight.md'])).stdout).toBe(
      'written while stopping',
    );
  }, 60_000);

  it('does not wait past the grace period for a client that never finishes its body, and exits 0', async () => {
    server = await serveProcess(['--data', dataDir, '--port', '0'], { WIKIBOT_SHUTDOWN_GRACE_SECONDS: '2' });
    const exited = exitOf(server.child);
    const slow = await startWrite(server.url, 'Slow', JSON.stringify({ content: 'never finished' }));
    slow.socket.write('{"content": "nev');

    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await slow.closed;
    expect(slow.received()).not.toMatch(/HTTP\/1\.1 2\d\d/);
    const repo = join(dataDir, 'wikis/main/repo.git');
    const ls = await promisify(execFile)('git', ['-C', repo, 'ls-tree', '--name-only', 'main']);
    expect(ls.stdout.split('\n')).not.toContain('Slow.md');
  }, 60_000);
});
