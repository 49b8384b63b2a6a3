import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

let dataDir: string;
let server: ServeProcess;

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-cli-');
  server = await serveProcess(['--data', dataDir, '--port', '0']);
}, 60_000);
afterAll(async () => {
  await server.stop();
  await removeDir(dataDir);
});

describe('wikibot serve', () => {
  it('creates the wiki "main" from the template on first run and answers health', async () => {
    const health = await fetch(`${server.url}/w/main/api/v1/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = await runCli(['--data', dataDir, 'wiki', 'list']);
    expect(stdout).toContain('main');
  });

  it('writes one JSON log line per request with method, path, status, latency and wiki', async () => {
    await fetch(`${server.url}/w/main/api/v1/health`);
    const line = JSON.parse(
      await server.waitForLine(
        (l) => l.includes('"event":"request"') && l.includes('"path":"/w/main/api/v1/health"'),
      ),
    );
    expect(line).toMatchObject({ method: 'GET', status: 200, wiki: 'main', subject: 'anonymous' });
    expect(typeof line.latency_ms).toBe('number');
  });
});

describe('wikibot token create', () => {
  it('prints the token alone on the last line, and it works at once on the running server', async () => {
    const token = await createTokenWithCli(dataDir);
    expect(token).toMatch(/^wbt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const res = await fetch(`${server.url}/w/main/api/v1/pages/Home`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const id = token.split('_')[1] as string;
    await server.waitForLine((l) => l.includes('"event":"request"') && l.includes(`"subject":"token:${id}"`));
    const logs = server.output();
    expect(logs).not.toContain(token);
    // The secret is base64url and may itself hold '_': everything after the id.
    expect(logs).not.toContain(token.slice(`wbt_${id}_`.length));
  });

  it('refuses an unknown scope and an unknown wiki with a message', async () => {
    await expect(
      runCli(['--data', dataDir, 'token', 'create', '--wiki', 'main', '--scopes', 'wiki:everything']),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('Unknown scope: wiki:everything'),
    });
    await expect(
      runCli(['--data', dataDir, 'token', 'create', '--wiki', 'nope', '--scopes', 'wiki:read']),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('Wiki not found: nope'),
    });
  });

  it('lists and revokes tokens', async () => {
    const { stdout } = await runCli([
      '--data',
      dataDir,
      'token',
      'create',
      '--wiki',
      'main',
      '--name',
      'to-revoke',
    ]);
    const token = stdout.trim().split('\n').at(-1) as string;
    const id = token.split('_')[1] as string;
    expect((await runCli(['--data', dataDir, 'token', 'list'])).stdout).toContain(`${id}\tmain\tto-revoke`);
    await runCli(['--data', dataDir, 'token', 'revoke', id]);
    const res = await fetch(`${server.url}/w/main/api/v1/pages`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
  });
});
