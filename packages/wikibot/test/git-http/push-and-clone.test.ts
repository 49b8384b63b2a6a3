import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connection } from '../../src/http/web/connect.js';
import { createTokenWithCli, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { cloneUrl, git, gitOk } from './support.js';

const MAX_ATTACHMENT_BYTES = 64 * 1024;

let dataDir: string;
let work: string;
let server: ServeProcess;
let writer: string;
let reader: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-git-http-'));
  work = await mkdtemp(join(tmpdir(), 'wikibot-git-client-'));
  await runCli(['--data', dataDir, 'wiki', 'create', 'main']);
  await runCli(['--data', dataDir, 'wiki', 'create', 'open']);
  const platform = new BetterSqlite3(join(dataDir, 'platform.sqlite'));
  platform.prepare("UPDATE wikis SET is_public = 1 WHERE slug = 'open'").run();
  platform.close();
  writer = await createTokenWithCli(dataDir, 'wiki:read,wiki:write', 'git-writer');
  reader = await createTokenWithCli(dataDir, 'wiki:read', 'git-reader');
  server = await serveProcess(['--data', dataDir, '--port', '0'], {
    WIKIBOT_MAX_ATTACHMENT_BYTES: String(MAX_ATTACHMENT_BYTES),
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
  await removeDir(work);
});

/** A fresh clone of `main` with the writer's token in the URL. */
async function cloneMain(name: string, token = writer): Promise<string> {
  const dir = join(work, name);
  await gitOk(work, ['clone', '--quiet', cloneUrl(server.url, 'main', token), dir]);
  return dir;
}

async function commitFile(clone: string, path: string, content: string | Buffer, message = `Add ${path}`) {
  await mkdir(join(clone, path, '..'), { recursive: true });
  await writeFile(join(clone, path), content);
  await gitOk(clone, ['add', '--', path]);
  await gitOk(clone, ['commit', '--quiet', '-m', message]);
}

async function readPage(path: string) {
  return fetch(`${server.url}/w/main/api/v1/pages/${path}`, {
    headers: { Authorization: `Bearer ${writer}` },
  });
}

async function remoteTip(clone: string): Promise<string> {
  return (await gitOk(clone, ['ls-remote', 'origin', 'refs/heads/main'])).split('\t')[0]!;
}

describe('git over HTTP', () => {
  it('clones, pushes a commit, and the page is readable over REST at once', async () => {
    const clone = await cloneMain('push');
    await commitFile(clone, 'Pushed/Page.md', '# Pushed\n\nWritten with git.\n');
    await commitFile(clone, 'Pushed/Page/notes.txt', 'an attachment\n');
    await gitOk(clone, ['push', '--quiet', 'origin', 'main']);

    const response = await readPage('Pushed/Page');
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('Written with git.');
    const attachments = await fetch(`${server.url}/w/main/api/v1/pages/Pushed/Page/attachments`, {
      headers: { Authorization: `Bearer ${writer}` },
    });
    expect(JSON.stringify(await attachments.json())).toContain('notes.txt');
  });

  it("clones the settings page's clone line, the token coming from git's credential helper", async () => {
    const { gitUrl } = connection(
      'main',
      { wikiUrl: `${server.url}/w/main`, gitUrl: `${server.url}/w/main.git` },
      null,
    );
    const store = join(work, 'credentials');
    const stored = new URL(server.url);
    stored.username = 'me';
    stored.password = writer;
    await writeFile(store, `${stored.href.replace(/\/$/, '')}\n`, { mode: 0o600 });
    const dir = join(work, 'helper');
    const clone = await git(work, [
      '-c',
      'credential.helper=',
      '-c',
      `credential.helper=store --file=${store}`,
      'clone',
      gitUrl,
      dir,
    ]);
    expect(clone.code).toBe(0);
    expect(await gitOk(dir, ['ls-files'])).toContain('Home.md');
  });

  it('serves a wiki written through the API to a fresh clone, with a Bearer token in a header', async () => {
    const put = await fetch(`${server.url}/w/main/api/v1/pages/From API`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${writer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: '# From API\n', commit_message: 'via REST' }),
    });
    expect(put.status).toBeLessThan(300);
    const dir = join(work, 'bearer');
    await gitOk(work, [
      '-c',
      `http.extraHeader=Authorization: Bearer ${reader}`,
      'clone',
      '--quiet',
      cloneUrl(server.url, 'main'),
      dir,
    ]);
    expect(await gitOk(dir, ['log', '-1', '--format=%s'])).toContain('via REST');
    expect(await gitOk(dir, ['ls-files'])).toContain('From API.md');
  });

  it('takes a push bigger than git buffers, sent chunked after a probe', async () => {
    const clone = await cloneMain('chunked');
    await mkdir(join(clone, 'Home'), { recursive: true });
    for (let i = 0; i < 40; i++)
      await writeFile(join(clone, 'Home', `part-${i}.bin`), randomBytes(60 * 1024));
    await gitOk(clone, ['add', 'Home']);
    await gitOk(clone, ['commit', '--quiet', '-m', 'Forty attachments']);
    const push = await git(clone, ['push', 'origin', 'main'], {
      GIT_TRACE_CURL: '1',
      GIT_TRACE_CURL_NO_DATA: '1',
    });
    expect(push.code).toBe(0);
    expect(push.stderr).toMatch(/Send header: Transfer-Encoding: chunked/i);
    const listed = await fetch(`${server.url}/w/main/api/v1/pages/Home/attachments`, {
      headers: { Authorization: `Bearer ${writer}` },
    });
    const { attachments } = (await listed.json()) as { attachments: { filename: string; size: number }[] };
    expect(attachments.filter((a) => a.filename.startsWith('part-') && a.size === 60 * 1024)).toHaveLength(
      40,
    );
  });

  it('decides a push racing API writes by the ref compare-and-swap: no API write is lost', async () => {
    const clone = await cloneMain('racer');
    await commitFile(clone, 'Racer/Pushed.md', '# Pushed\n');
    const writes = Array.from({ length: 6 }, (_, i) =>
      fetch(`${server.url}/w/main/api/v1/pages/Racer/Api-${i}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${writer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: `# API write ${i}\n` }),
      }),
    );
    const [push, ...answers] = await Promise.all([git(clone, ['push', 'origin', 'main']), ...writes]);
    for (const answer of answers) expect(answer.status).toBeLessThan(300);
    for (let i = 0; i < writes.length; i++) expect((await readPage(`Racer/Api-${i}`)).status).toBe(200);
    // The push landed whole, or was refused whole (it lost the race to an API write).
    if (push.code === 0) expect((await readPage('Racer/Pushed')).status).toBe(200);
    else {
      expect(push.stderr).toMatch(/rejected|failed to update ref|not a fast-forward/);
      expect((await readPage('Racer/Pushed')).status).toBe(404);
    }
  });

  it('fetches new commits after a negotiation over many local commits', async () => {
    const behind = await cloneMain('gzip');
    // Local commits the server has not seen make git list many "have" lines.
    await gitOk(behind, ['checkout', '--quiet', '-b', 'local']);
    // Dated after everything the server has, so git offers all of them before a common commit.
    for (let i = 0; i < 40; i++) {
      const date = `${4_000_000_000 + i} +0000`;
      const made = await git(behind, ['commit', '--quiet', '--allow-empty', '-m', `local ${i}`], {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      });
      expect(made.code).toBe(0);
    }
    const ahead = await cloneMain('gzip-ahead');
    await commitFile(ahead, 'Gzip/New.md', '# New\n');
    await gitOk(ahead, ['push', '--quiet', 'origin', 'main']);

    const fetched = await git(behind, ['fetch', 'origin']);
    expect(fetched.code).toBe(0);
    expect(await gitOk(behind, ['ls-tree', '-r', '--name-only', 'origin/main'])).toContain('Gzip/New.md');
  });

  it('refuses a non-fast-forward push, even forced, and keeps the tip', async () => {
    const ahead = await cloneMain('ahead');
    const behind = await cloneMain('behind');
    await commitFile(ahead, 'Race/Winner.md', '# Winner\n');
    await gitOk(ahead, ['push', '--quiet', 'origin', 'main']);
    const tip = await remoteTip(ahead);

    await commitFile(behind, 'Race/Loser.md', '# Loser\n');
    const plain = await git(behind, ['push', 'origin', 'main']);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain('rejected');

    const forced = await git(behind, ['push', '--force', 'origin', 'main']);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain('refs/heads/main: not a fast-forward');
    expect(await remoteTip(ahead)).toBe(tip);
    expect((await readPage('Race/Loser')).status).toBe(404);
  });

  it('refuses a push with a read-only token: 403 with the reason, which git prints', async () => {
    const clone = await cloneMain('readonly', reader);
    await commitFile(clone, 'Readonly.md', '# Not allowed\n');
    const push = await git(clone, ['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('remote: Forbidden: missing scope wiki:write');
    expect(push.stderr).toContain('403');
    expect((await readPage('Readonly')).status).toBe(404);
  });

  it('refuses a push that breaks the wiki rules, with each problem shown by git', async () => {
    const clone = await cloneMain('rules');
    const before = await remoteTip(clone);
    await commitFile(clone, 'api/Reserved.md', '# Reserved first segment\n');
    await commitFile(clone, 'Big/huge.bin', Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 1));
    await commitFile(clone, 'stray.txt', 'outside every page folder\n');
    await commitFile(clone, 'Fine.md', '# Fine on its own\n');
    const push = await git(clone, ['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('remote: wikibot refused this push:');
    expect(push.stderr).toContain("api/Reserved.md: Invalid page path: 'api' is reserved");
    expect(push.stderr).toContain(`Big/huge.bin: attachment too large: ${MAX_ATTACHMENT_BYTES + 1} bytes`);
    expect(push.stderr).toContain("stray.txt: files outside a page's folder");
    expect(push.stderr).toContain('pre-receive hook declined');
    expect(await remoteTip(clone)).toBe(before);
    expect((await readPage('Fine')).status).toBe(404);
  });

  it('refuses pushes to other branches', async () => {
    const clone = await cloneMain('branch');
    await commitFile(clone, 'Side.md', '# Side\n');
    const push = await git(clone, ['push', 'origin', 'HEAD:refs/heads/side']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('refs/heads/side: only the main branch can be pushed');
  });

  it('clones a public wiki anonymously, but asks for credentials for a private one', async () => {
    const open = await git(work, ['clone', '--quiet', cloneUrl(server.url, 'open'), join(work, 'open')]);
    expect(open.code).toBe(0);

    const closed = await git(work, ['clone', cloneUrl(server.url, 'main'), join(work, 'anonymous')]);
    expect(closed.code).not.toBe(0);
    expect(closed.stderr).toMatch(/could not read Username|Authentication failed/);

    const refs = await fetch(`${server.url}/w/main.git/info/refs?service=git-upload-pack`);
    expect(refs.status).toBe(401);
    expect(refs.headers.get('www-authenticate')).toMatch(/^Basic realm="wikibot"/);

    const push = await git(join(work, 'open'), ['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/could not read Username|Authentication failed/);
  });

  it('answers 401 to a wrong token, so git asks for another', async () => {
    const refs = await fetch(`${server.url}/w/main.git/info/refs?service=git-upload-pack`, {
      headers: { Authorization: `Basic ${Buffer.from('x:not-a-token').toString('base64')}` },
    });
    expect(refs.status).toBe(401);
    expect(refs.headers.get('www-authenticate')).toMatch(/^Basic realm="wikibot"/);
    expect(await refs.text()).toContain('Invalid credential');
  });
});
