import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let writer: string;
const page = (path: string) => `/w/main/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
  const pages: [string, string][] = [
    ['Home', '# Home\n\nStart at [[Guide]] or [[Recipes/Bread]].'],
    ['Guide', '---\ncategory: docs\ntags: [intro]\n---\n# Guide\n\nHow to use sourdough starters.'],
    ['Recipes/Bread', '# Bread\n\nFlour, water, salt. Back [[Home]].'],
  ];
  for (const [path, content] of pages)
    await server.call('PUT', page(path), { token: writer, body: { content } });
  const v1 = await server.call('GET', page('Guide'), { token: writer });
  await server.call('PUT', page('Guide'), {
    token: writer,
    body: { content: `${v1.json.content}\nMore.`, revision: v1.json.revision },
  });
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

async function snapshot(): Promise<unknown[]> {
  const paths = [
    '/pages',
    '/pages/Guide',
    '/pages/recipes/bread',
    '/search?q=sourdough',
    '/links',
    '/links/Home',
    '/changelog',
    '/pages/Guide/history',
  ];
  return Promise.all(
    paths.map(async (p) => (await server.call('GET', `/w/main/api/v1${p}`, { token: writer })).json),
  );
}

describe('the index is derived and disposable', () => {
  it('gives identical answers after the index is deleted and the server restarted', async () => {
    const before = await snapshot();
    await server.stop();
    await rm(join(server.dataDir, 'wikis/main/index.sqlite'), { force: true });
    await rm(join(server.dataDir, 'wikis/main/index.sqlite-wal'), { force: true });
    await rm(join(server.dataDir, 'wikis/main/index.sqlite-shm'), { force: true });
    await server.restart();
    expect(await snapshot()).toEqual(before);
  });

  it('sees a commit made straight into the bare repository on the next request', async () => {
    const repo = join(server.dataDir, 'wikis/main/repo.git');
    const work = await mkdtemp(join(tmpdir(), 'wikibot-clone-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: work,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'Direct',
          GIT_AUTHOR_EMAIL: 'd@x',
          GIT_COMMITTER_NAME: 'Direct',
          GIT_COMMITTER_EMAIL: 'd@x',
        },
      });
    try {
      git('clone', '--quiet', repo, '.');
      await writeFile(
        join(work, 'Pushed.md'),
        '# Pushed\n\nArrived by git with [[Home]] and the word zeppelin.',
      );
      await rm(join(work, 'Recipes/Bread.md'));
      git('add', '-A');
      git('commit', '--quiet', '-m', 'Direct commit');
      git('push', '--quiet', 'origin', 'HEAD:main');

      const read = await server.call('GET', page('Pushed'), { token: writer });
      expect(read.status).toBe(200);
      expect(read.json.last_commit).toMatchObject({ author: 'Direct', message: 'Direct commit' });
      expect((await server.call('GET', page('Recipes/Bread'), { token: writer })).status).toBe(404);
      const search = await server.call('GET', '/w/main/api/v1/search?q=zeppelin', { token: writer });
      expect(search.json.results.map((r: any) => r.path)).toEqual(['Pushed']);
      const home = await server.call('GET', page('Home'), { token: writer });
      expect(home.json.linked_from).toEqual(['Pushed']);
    } finally {
      await removeDir(work);
    }
  });
});
