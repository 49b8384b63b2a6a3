import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';

/**
 * Three `wikibot serve` processes share one data directory (as replicas share a volume) and write
 * concurrently: private pages, and shared pages updated with possibly stale revisions.
 */
const WRITERS = 3;
const PRIVATE_WRITES = 36;
const SHARED_ATTEMPTS = 14;
const SHARED_PAGES = ['Shared/One', 'Shared/Two'];

let dataDir: string;
let token: string;
let servers: ServeProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-mp-'));
  await runCli(['--data', dataDir, 'wiki', 'create', 'main']);
  token = await createTokenWithCli(dataDir, undefined, 'storm');
  // Keep every process that started, even if another failed, so afterAll can stop them all.
  const started = await Promise.allSettled(
    Array.from({ length: WRITERS }, () =>
      serveProcess(['--data', dataDir, '--port', '0'], { WIKIBOT_LOG_LEVEL: 'warn' }),
    ),
  );
  servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await removeDir(dataDir);
});

interface Ack {
  path: string;
  content: string;
  revision: string;
  /** the revision the writer based an update on (null for creations) */
  base: string | null;
}

async function call(server: ServeProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/w/main/api/v1/pages/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('writers in separate processes on one repository', () => {
  it('acknowledges only what is committed, refuses stale revisions with 409, and leaves git fsck clean', async () => {
    const repo = join(dataDir, 'wikis/main/repo.git');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const templateCommits = Number(git('rev-list', '--count', 'main').trim());
    const acks: Ack[] = [];
    const conflicts: { path: string; base: string }[] = [];
    const unexpected: unknown[] = [];

    // Seed shared pages.
    for (const path of SHARED_PAGES) {
      const res = await call(servers[0] as ServeProcess, 'PUT', path, { content: `${path} v0` });
      acks.push({ path, content: `${path} v0`, revision: res.json.revision, base: null });
    }

    await Promise.all(
      servers.map(async (server, w) => {
        for (let i = 0; i < PRIVATE_WRITES; i++) {
          const path = `W${w}/Page ${i % 12}`;
          const current = await call(server, 'GET', path);
          const base = current.status === 200 ? (current.json.revision as string) : null;
          const content = `writer ${w} write ${i}`;
          const res = await call(server, 'PUT', path, base ? { content, revision: base } : { content });
          if (res.status === 200 || res.status === 201)
            acks.push({ path, content, revision: res.json.revision, base });
          else unexpected.push(res);

          if (i < SHARED_ATTEMPTS) {
            const shared = SHARED_PAGES[i % SHARED_PAGES.length] as string;
            const read = await call(server, 'GET', shared);
            const sharedContent = `${shared} by ${w} #${i}`;
            const update = await call(server, 'PUT', shared, {
              content: sharedContent,
              revision: read.json.revision,
            });
            if (update.status === 200)
              acks.push({
                path: shared,
                content: sharedContent,
                revision: update.json.revision,
                base: read.json.revision,
              });
            else if (update.status === 409) {
              expect(update.json.current_revision).toMatch(/^[0-9a-f]{40}$/);
              expect(update.json.current_revision).not.toBe(read.json.revision);
              conflicts.push({ path: shared, base: read.json.revision });
            } else unexpected.push(update);
          }
        }
      }),
    );

    expect(unexpected).toEqual([]);
    // Every process's index agrees with git. (Asked before the slow synchronous git checks below,
    // which would leave this process's pooled connections idle past the server's keep-alive.)
    for (const server of servers) {
      const list = await fetch(`${server.url}/w/main/api/v1/pages?prefix=W`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await list.json()) as any).total).toBe(WRITERS * 12);
    }
    const commits = git('rev-list', 'main').trim().split('\n');
    expect(commits.length).toBeGreaterThanOrEqual(100);
    const reachable = new Set(commits);

    for (const ack of acks) {
      // Every acknowledged write is in the history, with exactly the content acknowledged...
      expect(reachable.has(ack.revision), `${ack.path} ${ack.revision}`).toBe(true);
      expect(git('show', `${ack.revision}:${ack.path}.md`)).toBe(ack.content);
      // ...and an update landed directly on the version it was based on: nothing overwritten unseen.
      if (ack.base) {
        const history = git('log', '--format=%H', '--', `${ack.path}.md`).trim().split('\n');
        expect(history[history.indexOf(ack.revision) + 1]).toBe(ack.base);
      }
    }
    expect(commits.length).toBe(templateCommits + acks.length);
    expect(conflicts.length).toBeGreaterThan(0);
    execFileSync('git', ['-C', repo, 'fsck', '--strict', '--no-progress'], { stdio: 'pipe' });
  }, 300_000);
});
