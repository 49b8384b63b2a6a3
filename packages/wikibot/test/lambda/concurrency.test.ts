import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaInstance } from '../../bench/lambdaInstance.js';
import { removeDir } from '../support/server.js';
import { functionEnv, prepareSharedDirectory } from './support.js';

/**
 * 3 reading and 5 writing Lambda instances (separate processes, each with its own /tmp index
 * directory) on one repository in a shared directory, as instances share EFS. Needs `npm run build`.
 */
const BASE = 'https://wiki.example.test';
const ADMIN = 'lambda-storm-admin-token-0123456789';
const READERS = 3;
const WRITERS = 5;
const PAGES_PER_WRITER = 8;
const SHARED = 'Shared/Log';

let dataDir: string;
let readers: LambdaInstance[] = [];
let writers: LambdaInstance[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-lambda-storm-'));
  const env = functionEnv(join(dataDir, 'efs'), {
    WIKIBOT_BASE_URL: BASE,
    WIKIBOT_ADMIN_TOKEN: ADMIN,
    WIKIBOT_INDEX_SNAPSHOT_EVERY: '3',
  });
  await prepareSharedDirectory(env, async (setup) => {
    await setup.registry.create('main', { title: 'Main' });
    const wiki = await setup.registry.wiki('main');
    await wiki.writePage(SHARED, '# Log\n', { actor: { name: 'op', email: 'op@x' }, source: 'cli' });
  });
  const started = await Promise.allSettled(
    Array.from({ length: READERS + WRITERS }, (_, i) =>
      LambdaInstance.start({ ...env, WIKIBOT_INDEX_DIR: join(dataDir, `tmp-${i}`) }),
    ),
  );
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  readers = instances.slice(0, READERS);
  writers = instances.slice(READERS);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all([...readers, ...writers].map((i) => i.stop()));
  await removeDir(dataDir);
});

const call = (instance: LambdaInstance, method: string, path: string, body?: unknown) =>
  instance.fetch(`${BASE}/w/main/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Append a line to the shared page: read, then write with its revision; again after a conflict. */
async function append(instance: LambdaInstance, line: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const current = await (await call(instance, 'GET', `/pages/${SHARED}`)).json();
    const put = await call(instance, 'PUT', `/pages/${SHARED}`, {
      content: `${current.content}${line}\n`,
      revision: current.revision,
    });
    if (put.status === 200) return attempt;
    if (put.status !== 409) throw new Error(`append got ${put.status}: ${await put.text()}`);
  }
}

describe('Lambda instances sharing one repository', () => {
  it('3 readers and 5 writers: no errors, nothing lost, every instance sees every write, fsck clean', async () => {
    let writing = true;
    const readStatuses: number[] = [];
    const reading = readers.map(async (reader) => {
      while (writing) {
        for (const path of ['/pages', '/pages/Home', '/search?q=written', `/pages/${SHARED}`]) {
          readStatuses.push((await call(reader, 'GET', path)).status);
        }
      }
    });
    const writing5 = writers.map(async (writer, w) => {
      const statuses: number[] = [];
      for (let p = 0; p < PAGES_PER_WRITER; p++) {
        const put = await call(writer, 'PUT', `/pages/Writer${w}/Page${p}`, {
          content: `# Page ${p}\n\nwritten by writer ${w}`,
        });
        statuses.push(put.status);
        await append(writer, `writer ${w} line ${p}`);
      }
      return statuses;
    });
    const written = await Promise.all(writing5);
    writing = false;
    await Promise.all(reading);

    expect(written.flat().every((status) => status === 201)).toBe(true);
    expect(readStatuses.length).toBeGreaterThan(0);
    expect(readStatuses.filter((status) => status !== 200)).toEqual([]);

    const expectedPages = writers.flatMap((_, w) =>
      Array.from({ length: PAGES_PER_WRITER }, (_, p) => `Writer${w}/Page${p}`),
    );
    const expectedLines = writers.flatMap((_, w) =>
      Array.from({ length: PAGES_PER_WRITER }, (_, p) => `writer ${w} line ${p}`),
    );
    for (const instance of [...readers, ...writers]) {
      const listed = await (await call(instance, 'GET', '/pages?limit=1000')).json();
      const paths = listed.pages.map((page: { path: string }) => page.path);
      expect(paths).toEqual(expect.arrayContaining(expectedPages));
      const log = (await (await call(instance, 'GET', `/pages/${SHARED}`)).json()).content as string;
      expect(log.trim().split('\n').slice(1).sort()).toEqual([...expectedLines].sort());
    }
    const fsck = await promisify(execFile)('git', [
      '-C',
      join(dataDir, 'efs/wikis/main/repo.git'),
      'fsck',
      '--full',
      '--strict',
    ]);
    expect(fsck.stderr).not.toMatch(/error|missing|broken|corrupt/i);
  }, 240_000);
});
