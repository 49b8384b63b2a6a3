import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

let dataDir: string;
const servers: ServeProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await removeDir(dataDir);
});

describe('replicas starting together on an empty data directory', () => {
  it('all start, and exactly one creates the wiki "main" and the admin account', async () => {
    dataDir = await freshDataDir('wikibot-first-');
    const started = await Promise.allSettled(
      [1, 2, 3].map(() => serveProcess(['--data', dataDir, '--port', '0'])),
    );
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const log = execFileSync('git', ['-C', join(dataDir, 'wikis/main/repo.git'), 'log', '--format=%s'], {
      encoding: 'utf8',
    });
    expect(log.trim().split('\n').sort()).toEqual([
      'Create Home',
      'Create Meta/Page Template',
      'Create Meta/Wiki Usage Guide',
    ]);
    const announcements = servers.filter((s) => s.output().includes('One-time password')).length;
    expect(announcements).toBe(1);
    for (const server of servers) {
      const health = await fetch(`${server.url}/w/main/api/v1/health`);
      expect(health.status).toBe(200);
    }
  }, 120_000);
});
