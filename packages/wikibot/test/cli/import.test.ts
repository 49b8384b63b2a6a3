import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

/** A repository as Otterwiki writes it: lowercase file names, attachments in page folders, branch master. */
async function otterwikiRepository(dir: string): Promise<string> {
  const files: Record<string, string | Buffer> = {
    'home.md': '# Home\n\nWelcome. See [[NAS Setup]] and [[Projects/Web App]].\n',
    'nas setup.md': '# NAS Setup\n\nThe RAID array uses four disks.\n',
    'nas setup/diagram.png': Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    'projects/web app.md':
      '---\ntitle: The Web App\ncategory: projects\ntags: [web]\n---\nA flask application.\n',
    'projects/backlog.md': 'no heading here, just a list of ideas\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Otter',
        GIT_AUTHOR_EMAIL: 'o@x',
        GIT_COMMITTER_NAME: 'Otter',
        GIT_COMMITTER_EMAIL: 'o@x',
      },
    });
  git('init', '--quiet', '-b', 'master');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'initial wiki');
  return git('rev-parse', 'HEAD').trim();
}

let source: string;
let sourceHead: string;
let server: TestServer;
let token: string;

beforeAll(async () => {
  source = await mkdtemp(join(tmpdir(), 'otterwiki-'));
  sourceHead = await otterwikiRepository(source);
  const dataDir = await mkdtemp(join(tmpdir(), 'wikibot-import-'));
  const { stdout } = await runCli(['--data', dataDir, 'import', source, '--wiki', 'legacy']);
  expect(stdout).toContain('imported');
  expect(stdout).toContain('(4 pages)');
  server = await startTestServer({ dataDir, createMain: false });
  token = await server.token(['wiki:read'], 'legacy');
}, 60_000);
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
  await removeDir(source);
});

const get = async (path: string) => (await server.call('GET', `/w/legacy/api/v1${path}`, { token })).json;

describe('importing an Otterwiki repository', () => {
  it('keeps the repository unchanged, on branch main', () => {
    const head = execFileSync(
      'git',
      ['-C', join(server.dataDir, 'wikis/legacy/repo.git'), 'rev-parse', 'main'],
      { encoding: 'utf8' },
    ).trim();
    expect(head).toBe(sourceHead);
  });

  it('lists pages with Otterwiki display names', async () => {
    const list = await get('/pages');
    expect(list.pages.map((p: any) => [p.path, p.name])).toEqual([
      ['home', 'Home'],
      ['nas setup', 'NAS Setup'],
      ['projects/backlog', 'Backlog'],
      ['projects/web app', 'The Web App'],
    ]);
    expect(list.pages.find((p: any) => p.path === 'projects/web app')).toMatchObject({
      category: 'projects',
      tags: ['web'],
    });
  });

  it('reads pages by their display names, case-insensitively, with links and attachments', async () => {
    const nas = await get('/pages/NAS%20Setup');
    expect(nas).toMatchObject({ name: 'NAS Setup', path: 'nas setup', linked_from: ['home'] });
    expect(nas.last_commit).toMatchObject({ author: 'Otter', message: 'initial wiki' });
    const attachments = await get('/pages/NAS%20Setup/attachments');
    expect(attachments.attachments.map((a: any) => a.filename)).toEqual(['diagram.png']);
    const home = await get('/pages/Home');
    expect(home.links_to).toEqual(['nas setup', 'projects/web app']);
  });

  it('finds pages by full-text search', async () => {
    const search = await get('/search?q=raid');
    expect(search.results.map((r: any) => [r.path, r.name])).toEqual([['nas setup', 'NAS Setup']]);
  });
});
