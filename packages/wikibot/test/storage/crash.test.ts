import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';

let dataDir: string;
let token: string;
let server: ServeProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-crash-'));
  await runCli(['--data', dataDir, 'wiki', 'create', 'main']);
  token = await createTokenWithCli(dataDir);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

async function put(url: string, path: string, content: string): Promise<number> {
  try {
    const res = await fetch(`${url}/w/main/api/v1/pages/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // the connection died with the server: not acknowledged
  }
}

describe('kill -9 during a write storm', () => {
  it('loses no acknowledged write, leaves git fsck clean, and the index catches up on restart', async () => {
    server = await serveProcess(['--data', dataDir, '--port', '0']);
    const url = server.url;
    const acknowledged = new Map<string, string>();
    let killed = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !killed && i < 500; i++) {
        const path = `Storm/W${w}-${i}`;
        const content = `writer ${w} page ${i}`;
        if ((await put(url, path, content)) === 201) acknowledged.set(path, content);
        if (acknowledged.size >= 60 && !killed) {
          killed = true;
          server?.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(writers);
    await server.stop();
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);

    const repo = join(dataDir, 'wikis/main/repo.git');
    execFileSync('git', ['-C', repo, 'fsck', '--strict', '--no-progress'], { stdio: 'pipe' });

    server = await serveProcess(['--data', dataDir, '--port', '0']);
    for (const [path, content] of acknowledged) {
      const res = await fetch(`${server.url}/w/main/api/v1/pages/${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as any).content).toBe(content);
    }
    // The index agrees with git about everything that landed, acknowledged or not.
    const inGit = execFileSync('git', ['-C', repo, 'ls-tree', '-r', '--name-only', 'main', 'Storm/'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n').length;
    const listed = await fetch(`${server.url}/w/main/api/v1/pages?prefix=Storm/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await listed.json()) as any).total).toBe(inGit);
  }, 180_000);
});
