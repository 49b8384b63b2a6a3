import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberStore } from '../../src/platform/members.js';
import type { PlatformDb } from '../../src/platform/store.js';
import { TokenStore } from '../../src/platform/tokens.js';
import { UserStore } from '../../src/platform/users.js';
import { Browser } from '../oauth/support/browser.js';
import {
  callbackListener,
  connectWithLogin,
  MemoryOAuthProvider,
  rawToolsList,
  revokeToken,
} from '../oauth/support/mcpAgent.js';
import type { Person } from '../oauth/support/oauthClient.js';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { type RawResponse, rawHttp } from '../support/net.js';
import { NGINX, type ReverseProxy, reserveProxyPort, startReverseProxy } from '../support/nginx.js';
import { removeDir } from '../support/server.js';
import { freshDataDir, openTestStore } from '../support/store.js';

/**
 * Two `wikibot serve` replicas on one data directory and one PostgreSQL store (each with its own
 * derived indexes), behind nginx balancing round robin: what a deployment with two replicas is.
 */
let dataDir: string;
let indexDirs: string[] = [];
let replicas: ServeProcess[] = [];
let proxy: ReverseProxy | undefined;
let db: PlatformDb;
let token: string;
let callback: Awaited<ReturnType<typeof callbackListener>>;
const alice: Person = { login: 'alice', password: 'alice-correct-horse-battery' };

beforeAll(async () => {
  if (!NGINX) return;
  dataDir = await freshDataDir('wikibot-replicas-');
  const port = await reserveProxyPort();
  indexDirs = await Promise.all([1, 2].map((n) => mkdtemp(join(tmpdir(), `wikibot-replica${n}-index-`))));
  // Both start at once on an empty store and data directory.
  const started = await Promise.allSettled(
    indexDirs.map((indexDir) =>
      serveProcess(['--data', dataDir, '--port', '0'], {
        WIKIBOT_BASE_URL: `http://127.0.0.1:${port}`,
        WIKIBOT_INDEX_DIR: indexDir,
      }),
    ),
  );
  replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  proxy = await startReverseProxy(
    port,
    replicas.map((r) => new URL(r.url).host),
  );
  db = await openTestStore(dataDir);
  const user = await new UserStore(db).create({ username: alice.login, password: alice.password });
  await new MemberStore(db).grant('main', user.id, 'editor');
  token = (
    await new TokenStore(db).create({ wiki: 'main', name: 'load', scopes: ['wiki:read', 'wiki:write'] })
  ).token;
  callback = await callbackListener();
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(replicas.map((r) => r.stop()));
  await callback?.close();
  await db?.destroy();
  for (const dir of [dataDir, ...indexDirs]) if (dir) await removeDir(dir);
});

const repo = () => join(dataDir, 'wikis/main/repo.git');
const git = (...args: string[]) => execFileSync('git', ['-C', repo(), ...args], { encoding: 'utf8' });

/**
 * A page API call sent to `origin` (the proxy, or one replica directly) for the public host, as the
 * proxy forwards it: the replicas answer only for their base URL.
 */
function pageCall(origin: string, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return rawHttp(`${origin}/w/main/api/v1/pages/${path}`, {
    method,
    headers: {
      host: new URL((proxy as ReverseProxy).url).host,
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** PUT a page (an update names the revision it replaces); the new revision when acknowledged, else null. */
async function put(origin: string, path: string, content: string, revision?: string): Promise<string | null> {
  try {
    const res = await pageCall(origin, 'PUT', path, revision ? { content, revision } : { content });
    const committed = (res.json as { revision?: string } | undefined)?.revision;
    return res.status === 200 || res.status === 201 ? (committed ?? null) : null;
  } catch {
    return null; // the connection died with a replica: not acknowledged
  }
}

async function read(origin: string, path: string): Promise<{ status: number; content?: string }> {
  const { status, json } = await pageCall(origin, 'GET', path);
  const content = (json as { content?: string } | undefined)?.content;
  return { status, ...(content === undefined ? {} : { content }) };
}

/** Every acknowledged revision is on main, and git finds nothing wrong. */
function expectAllCommitted(acknowledged: Map<string, { revision: string }>): void {
  const onMain = new Set(git('rev-list', 'main').trim().split('\n'));
  for (const [path, { revision }] of acknowledged) expect(onMain.has(revision), path).toBe(true);
  execFileSync('git', ['-C', repo(), 'fsck', '--strict', '--no-progress'], { stdio: 'pipe' });
}

/** Whether a replica's request log has a line for a path under `prefix`. */
const served = (replica: ServeProcess, prefix: string) =>
  replica.waitForLine((line) => line.includes('"event":"request"') && line.includes(`"path":"${prefix}`));

const TITLE = 'two replicas behind nginx on one PostgreSQL store';
describe.skipIf(!NGINX)(NGINX ? TITLE : `${TITLE} (skipped: nginx is not installed)`, () => {
  it('started together, they made the wiki and the admin account exactly once', () => {
    expect(git('log', '--format=%s').trim().split('\n')).toHaveLength(3);
    expect(replicas.filter((r) => r.output().includes('One-time password'))).toHaveLength(1);
  });

  it('the MCP SDK client completes OAuth (login, consent, token, refresh) with requests on both replicas', async () => {
    const base = (proxy as ReverseProxy).url;
    const provider = new MemoryOAuthProvider(callback.url);
    const client = await connectWithLogin(`${base}/w/main/mcp`, provider, new Browser(), {
      callback,
      person: alice,
    });
    expect((await client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    const before = provider.tokens() as { access_token: string; refresh_token: string };
    // The access token dies (revoked through one replica); the SDK refreshes through whichever it reaches.
    expect(await revokeToken(base, provider, before.access_token)).toBe(200);
    for (let i = 0; i < 2; i++) {
      const raw = await rawToolsList(`${base}/w/main/mcp`, before.access_token);
      expect(raw.status, 'the revoked token is refused by both replicas').toBe(401);
    }
    const opened = provider.opened.length;
    expect((await client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect(provider.opened.length, 'no new browser sign-in').toBe(opened);
    const after = provider.tokens() as { access_token: string; refresh_token: string };
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    await client.close();
    for (const replica of replicas) {
      await served(replica, '/-/oauth/');
      await served(replica, '/w/main/mcp');
    }
  });

  it('concurrent writes through both replicas are all committed, and git fsck is clean', async () => {
    const base = (proxy as ReverseProxy).url;
    const acknowledged = new Map<string, { revision: string }>();
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; i < 10; i++) {
          const path = `Load/W${w}-${i}`;
          const revision = await put(base, path, `writer ${w} page ${i}`);
          expect(revision, path).toMatch(/^[0-9a-f]{40}$/);
          acknowledged.set(path, { revision: revision as string });
        }
      }),
    );
    expect(acknowledged.size).toBe(60);
    expectAllCommitted(acknowledged);
    for (const replica of replicas) await served(replica, '/w/main/api/v1/pages/Load/');
  });

  it('a page written through one replica is read at once through the other', async () => {
    const [one, two] = replicas as [ServeProcess, ServeProcess];
    let revision: string | undefined;
    for (let i = 0; i < 6; i++) {
      const [writer, reader] = i % 2 === 0 ? [one, two] : [two, one];
      const content = `written through ${writer.url}, round ${i}`;
      revision = (await put(writer.url, 'Fresh/Page', content, revision)) ?? undefined;
      expect(revision).toMatch(/^[0-9a-f]{40}$/);
      expect(await read(reader.url, 'Fresh/Page')).toEqual({ status: 200, content });
    }
  });

  it('killing one replica (SIGKILL) under load loses no acknowledged write', async () => {
    const base = (proxy as ReverseProxy).url;
    const [survivor, victim] = replicas as [ServeProcess, ServeProcess];
    const acknowledged = new Map<string, { revision: string; content: string }>();
    let killedAfter = -1;
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; i < 30; i++) {
          const path = `Kill/W${w}-${i}`;
          const content = `writer ${w} page ${i}`;
          const revision = await put(base, path, content);
          if (revision) acknowledged.set(path, { revision, content });
          if (acknowledged.size >= 40 && killedAfter < 0) {
            killedAfter = acknowledged.size;
            victim.child.kill('SIGKILL');
          }
        }
      }),
    );
    await victim.stop();
    expect(killedAfter).toBeGreaterThan(0);
    // The survivor took over: writes went on being acknowledged after the kill.
    expect(acknowledged.size).toBeGreaterThan(killedAfter + 60);
    expectAllCommitted(acknowledged);
    for (const [path, { content }] of acknowledged) {
      expect(await read(survivor.url, path), path).toEqual({ status: 200, content });
    }
  });
});
