import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenWithCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';

let dataDir: string;
let server: ServeProcess;
let token: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-workers-'));
  server = await serveProcess(['--data', dataDir, '--port', '0', '--workers', '2']);
  token = await createTokenWithCli(dataDir);
}, 60_000);
afterAll(async () => {
  await server.stop();
  await removeDir(dataDir);
});

/** A request on a connection of its own, so that the primary hands each to the next worker. */
function call(method: string, path: string, content?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/w/main/api/v1/${encodeURI(path)}`,
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.once('error', reject);
    req.end(content === undefined ? undefined : JSON.stringify({ content }));
  });
}

/** The pids in request log lines for paths starting with `prefix`, once there are `count` of them. */
async function requestPids(prefix: string, count: number): Promise<Set<number>> {
  const pids = new Set<number>();
  await server.waitForLine((line) => {
    if (!line.includes('"event":"request"')) return false;
    const entry = JSON.parse(line);
    if (entry.path.startsWith(prefix)) pids.add(entry.pid);
    return pids.size >= count;
  });
  return pids;
}

describe('wikibot serve --workers 2', () => {
  it('serves from two processes on one port, and writes through both lose nothing', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', join(dataDir, 'wikis/main/repo.git'), ...args], { encoding: 'utf8' });
    // First-run set-up happened once, in the primary.
    expect(server.output().split('One-time password').length - 1).toBe(1);
    const templateCommits = Number(git('rev-list', '--count', 'main'));

    const writes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call('PUT', `pages/Workers/Page ${i}`, `written ${i}`)),
    );
    expect(writes.map((w) => w.status)).toEqual(Array(40).fill(201));
    const pids = await requestPids('/w/main/api/v1/pages/Workers', 2);
    expect(pids.size).toBe(2);
    expect(pids.has(server.child.pid as number)).toBe(false); // the primary only supervises

    expect(Number(git('rev-list', '--count', 'main'))).toBe(templateCommits + 40);
    for (const [i, write] of writes.entries()) {
      expect(git('show', `${write.body.revision}:Workers/Page ${i}.md`)).toBe(`written ${i}`);
    }
    // Each worker's index has every write, whoever made it.
    const lists = await Promise.all(Array.from({ length: 4 }, () => call('GET', 'pages?prefix=Workers/')));
    expect(lists.map((list) => list.body.total)).toEqual([40, 40, 40, 40]);
  });

  it('stops every worker when the primary gets SIGTERM', async () => {
    const pids = await requestPids('/w/main/api/v1/pages/Workers', 2);
    await server.stop('SIGTERM');
    expect(server.child.exitCode).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
