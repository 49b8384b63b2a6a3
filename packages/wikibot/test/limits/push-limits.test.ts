import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, git, gitOk } from '../git-http/support.js';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

const ADMIN_TOKEN = 'push-limits-admin-token-0123456789';

let dataDir: string;
let work: string;
let server: ServeProcess;
let writer: string;
let clone: string;

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-push-limits-');
  work = await mkdtemp(join(tmpdir(), 'wikibot-push-limits-client-'));
  // The bootstrap template makes three pages.
  await runCli(['--data', dataDir, 'wiki', 'create', 'main']);
  writer = await createTokenWithCli(dataDir, 'wiki:read,wiki:write', 'pusher');
  server = await serveProcess(['--data', dataDir, '--port', '0'], {
    WIKIBOT_LIMIT_PAGES: '4',
    WIKIBOT_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  clone = join(work, 'main');
  await gitOk(work, ['clone', '--quiet', cloneUrl(server.url, 'main', writer), clone]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
  await removeDir(work);
});

async function commit(files: Record<string, string | Buffer | null>, message: string) {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) await rm(join(clone, path));
    else {
      await mkdir(join(clone, path, '..'), { recursive: true });
      await writeFile(join(clone, path), content);
    }
  }
  await gitOk(clone, ['add', '-A']);
  await gitOk(clone, ['commit', '--quiet', '-m', message]);
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<any>;
}

const push = () => git(clone, ['push', '--quiet', 'origin', 'main']);

describe('git push over a limit', () => {
  it('is refused with the limit named in what git prints; an admin raises the limit and it lands', async () => {
    await commit({ 'One.md': '# One\n', 'Two.md': '# Two\n' }, 'Two pages');
    const refused = await push();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('remote: wikibot refused this push:');
    expect(refused.stderr).toContain(
      'remote:   Page limit reached: the wiki would have 5 pages, its limit is 4',
    );

    await admin('PUT', '/wikis/main/limits', { pages: 5 });
    const landed = await push();
    expect(landed.code, landed.stderr).toBe(0);
    const page = await fetch(`${server.url}/w/main/api/v1/pages/Two`, {
      headers: { authorization: `Bearer ${writer}` },
    });
    expect(page.status).toBe(200);
    expect((await admin('GET', '/wikis/main/usage')).pages).toEqual({ used: 5, limit: 5 });
  });

  it('takes a push that deletes and edits at the limit', async () => {
    await commit({ 'One.md': null, 'Two.md': '# Two, edited\n' }, 'Delete one, edit two');
    const landed = await push();
    expect(landed.code, landed.stderr).toBe(0);
    expect((await admin('GET', '/wikis/main/usage')).pages).toEqual({ used: 4, limit: 5 });
  });

  it('refuses attachments beyond the attachment size limit', async () => {
    await admin('PUT', '/wikis/main/limits', { attachment_bytes: 100 });
    await commit({ 'Two/big.bin': Buffer.alloc(200, 1) }, 'A big attachment');
    const refused = await push();
    expect(refused.stderr).toContain(
      'remote:   Attachment size limit reached: the wiki would have 200 bytes of attachments, its limit is 100',
    );
    await gitOk(clone, ['reset', '--quiet', '--hard', 'origin/main']);
    await admin('PUT', '/wikis/main/limits', { attachment_bytes: null });
  });

  it('refuses a push that takes the repository past its size limit', async () => {
    const { repo_bytes } = await admin('GET', '/wikis/main/usage');
    await admin('PUT', '/wikis/main/limits', { repo_bytes: repo_bytes.used + 1000 });
    await commit({ 'Two/noise.bin': randomBytes(20_000) }, 'Incompressible');
    const refused = await push();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      new RegExp(
        `remote: {3}Repository size limit reached: the wiki would have \\d+ bytes in its repository \\(at most\\), its limit is ${repo_bytes.used + 1000}`,
      ),
    );
    await gitOk(clone, ['reset', '--quiet', '--hard', 'origin/main']);
  });
});
