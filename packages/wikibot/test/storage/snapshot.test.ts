import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/repository.js';
import { seedIndex, writeSnapshot } from '../../src/index/snapshot.js';
import { WikiIndex } from '../../src/index/wikiIndex.js';
import { IndexSnapshots } from '../../src/platform/indexSnapshots.js';
import { Wiki } from '../../src/wiki/wiki.js';
import { removeDir } from '../support/server.js';

const actor = { actor: { name: 'T', email: 't@x' }, source: 'api' as const };

let dir: string;
let writer: Wiki;
/** The writer's repository and index, which the seeding functions under test take directly. */
let repo: GitRepository;
let writerIndex: WikiIndex;
const snapshotFile = () => join(dir, 'index.snapshot.sqlite');
const opened: WikiIndex[] = [];

/** A second instance of the wiki over the same repository, with its own index file. */
function instance(indexFile: string): Wiki {
  const index = WikiIndex.open(indexFile, repo);
  opened.push(index);
  return new Wiki('t', repo, index);
}

/** What readers see: pages, search, links, files (row ids aside, which are the index's own). */
async function answers(wiki: Wiki) {
  const { pages, total } = await wiki.listPages();
  return {
    total,
    pages: pages.map(({ id: _id, ...page }) => page),
    home: (await wiki.readPage('Home')).content,
    search: await wiki.search('sourdough'),
    links: await wiki.links('Home'),
    graph: await wiki.graph(),
    orphans: await wiki.orphans(),
    attachments: await wiki.listAttachments('Home'),
  };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wikibot-snapshot-'));
  repo = await GitRepository.init(join(dir, 'repo.git'));
  writerIndex = WikiIndex.open(join(dir, 'writer.sqlite'), repo);
  writer = new Wiki('t', repo, writerIndex);
  await writer.writePage('Home', '# Home\n\nSee [[Guide]] and [[Old]].', actor);
  await writer.writePage('Guide', '---\ntags: [intro]\n---\n# Guide\n\nSourdough basics.', actor);
  await writer.writePage('Old', '# Old\n\nTo be deleted.', actor);
});

afterEach(async () => {
  for (const index of opened.splice(0)) index.close();
  await writer.close();
  await removeDir(dir);
});

describe('index snapshots', () => {
  it('seeds an instance from a snapshot at an old commit; caught up, it answers like a fresh index', async () => {
    await writer.listPages();
    const snapshotCommit = await writeSnapshot(writerIndex, snapshotFile());
    expect(snapshotCommit).toBe(repo.tip());
    // The wiki moves on after the snapshot: an edit, a deletion, a new page, an attachment.
    const { revision } = await writer.readPage('Guide');
    await writer.writePage('Guide', '---\ntags: [bread]\n---\n# Guide\n\nSourdough and [[New]].', {
      ...actor,
      revision,
    });
    await writer.deletePage('Old', actor);
    await writer.writePage('New', '# New\n\nMore sourdough.', actor);
    await writer.uploadAttachment('Home', 'photo.png', Buffer.from([137, 80, 78, 71]), actor);

    const seededFile = join(dir, 'instance', 'index.sqlite');
    expect(await seedIndex(seededFile, snapshotFile(), repo)).toEqual({ seeded: snapshotCommit });
    const seeded = instance(seededFile);
    expect(seeded.indexedCommit).toBe(snapshotCommit);
    const fresh = instance(join(dir, 'fresh.sqlite'));
    expect(await answers(seeded)).toEqual(await answers(fresh));
    expect(seeded.indexedCommit).toBe(repo.tip());
    expect((await answers(seeded)).pages.map((p) => p.path)).toEqual(['Guide', 'Home', 'New']);
  });

  it('leaves no index behind for a corrupt snapshot, so the instance rebuilds from git', async () => {
    await writer.listPages();
    await writeSnapshot(writerIndex, snapshotFile());
    const bytes = await readFile(snapshotFile());
    bytes.fill(0x5a, 4096, 8192); // a page of the database overwritten
    await writeFile(snapshotFile(), bytes);

    const seededFile = join(dir, 'instance', 'index.sqlite');
    const outcome = await seedIndex(seededFile, snapshotFile(), repo);
    expect(outcome).toEqual({
      rebuild: expect.stringMatching(/snapshot (fails the integrity check|unreadable)/),
    });
    expect(existsSync(seededFile)).toBe(false);
    expect(await readdir(join(dir, 'instance'))).toEqual([]);
    expect(await answers(instance(seededFile))).toEqual(await answers(writer));
  });

  it('rebuilds when the snapshot is not a database, is missing, or reflects a commit the repository lacks', async () => {
    const seededFile = join(dir, 'instance', 'index.sqlite');
    expect(await seedIndex(seededFile, snapshotFile(), repo)).toEqual({
      rebuild: 'no snapshot (ENOENT)',
    });

    await writeFile(snapshotFile(), 'not a database at all');
    expect(await seedIndex(seededFile, snapshotFile(), repo)).toEqual({
      rebuild: expect.stringContaining('snapshot unreadable'),
    });

    // A snapshot of another wiki's index: its commit is unknown here.
    const otherRepo = await GitRepository.init(join(dir, 'other.git'));
    const other = new Wiki('o', otherRepo, WikiIndex.open(join(dir, 'other.sqlite'), otherRepo));
    await other.writePage('Elsewhere', 'Another wiki.', actor);
    await other.listPages();
    const foreign = await other.writeIndexSnapshot(snapshotFile());
    await other.close();
    expect(await seedIndex(seededFile, snapshotFile(), repo)).toEqual({
      rebuild: `snapshot commit ${foreign} is not in the repository`,
    });
    expect(existsSync(seededFile)).toBe(false);
    expect((await answers(instance(seededFile))).pages.map((p) => p.path)).toEqual(['Guide', 'Home', 'Old']);
  });

  it('replaces the snapshot whole, leaving no temporary file', async () => {
    await writer.listPages();
    const first = await writeSnapshot(writerIndex, snapshotFile());
    await writer.writePage('Later', 'Later page.', actor);
    await writer.listPages();
    const second = await writeSnapshot(writerIndex, snapshotFile());
    expect(second).not.toBe(first);
    expect((await readdir(dir)).filter((name) => name.startsWith('index.snapshot'))).toEqual([
      'index.snapshot.sqlite',
    ]);
    expect(await seedIndex(join(dir, 'i2', 'index.sqlite'), snapshotFile(), repo)).toEqual({
      seeded: second,
    });
  });

  it('policy: an instance that rebuilt writes a snapshot at once, then after every N index advances', async () => {
    const snapshots = new IndexSnapshots(2, () => snapshotFile(), pino({ level: 'silent' }));
    const indexFile = join(dir, 'instance', 'index.sqlite');
    await snapshots.seed('t', indexFile, repo); // no snapshot: this instance rebuilds
    const wiki = instance(indexFile);
    await wiki.listPages();
    await snapshots.writeDue([wiki]);
    const first = await seedIndex(join(dir, 'probe1', 'index.sqlite'), snapshotFile(), repo);
    expect(first).toEqual({ seeded: repo.tip() });

    await wiki.writePage('One', 'one', actor);
    await snapshots.writeDue([wiki]);
    expect(await seedIndex(join(dir, 'probe2', 'index.sqlite'), snapshotFile(), repo)).toEqual(first);
    await wiki.writePage('Two', 'two', actor);
    await snapshots.writeDue([wiki]);
    expect(await seedIndex(join(dir, 'probe3', 'index.sqlite'), snapshotFile(), repo)).toEqual({
      seeded: repo.tip(),
    });
  });
});
