import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/repository.js';
import type { EmbeddingJob } from '../../src/index/embeddingQueue.js';
import { WikiIndex } from '../../src/index/wikiIndex.js';
import { isAlive } from '../../src/wiki/embeddingWorker.js';
import { Wiki } from '../../src/wiki/wiki.js';
import { removeDir } from '../support/server.js';

const actor = { actor: { name: 'T', email: 't@x' }, source: 'api' as const };
const LEASE = 60_000;

let dir: string;
let wiki: Wiki;
let repo: GitRepository;
let index: WikiIndex;
const queue = () => index.semantic.queue;
const write = (path: string, content: string) => wiki.writePage(path, content, actor);

/** A unit vector along one axis of 4 dimensions: enough to tell vectors apart. */
const axis = (i: number) => Float32Array.from({ length: 4 }, (_, k) => (k === i % 4 ? 1 : 0));
const vectorsFor = (jobs: EmbeddingJob[]) => jobs.map((_, i) => axis(i));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wikibot-queue-'));
  repo = await GitRepository.init(join(dir, 'repo.git'));
  index = WikiIndex.open(join(dir, 'index.sqlite'), repo);
  wiki = new Wiki('t', repo, index);
});

afterEach(async () => {
  await wiki.close();
  await removeDir(dir);
});

describe('the embedding queue', () => {
  it('holds each distinct chunk text once, in the transaction that wrote the page', async () => {
    await write('A', 'Same words on two pages.');
    await write('B', '---\ntitle: A\n---\nSame words on two pages.');
    // Both pages chunk to "[A] Same words on two pages.": one text, one job.
    expect(queue().status().length).toBe(1);
    await write('C', '# C\n\nSomething else.');
    expect(queue().status()).toEqual({ length: 2, oldestQueuedAt: expect.any(Number) });
  });

  it('gives two workers disjoint claims, and a job back when its lease ends', async () => {
    for (let i = 0; i < 6; i++) await write(`P${i}`, `Page number ${i}.`);
    const now = Date.now();
    const first = queue().claim('one', 4, LEASE, now);
    const second = queue().claim('two', 4, LEASE, now);
    expect(first).toHaveLength(4);
    expect(second).toHaveLength(2);
    expect(new Set([...first, ...second].map((j) => j.hash)).size).toBe(6);
    expect(queue().claim('three', 4, LEASE, now)).toEqual([]);
    expect(queue().claim('three', 10, LEASE, now + LEASE)).toHaveLength(6);
  });

  it('stores vectors on completion and empties the queue', async () => {
    await write('A', 'Alpha.');
    await write('B', 'Beta.');
    const jobs = queue().claim('w', 10, LEASE);
    expect(jobs.map((j) => j.text).sort()).toEqual(['[A] Alpha.', '[B] Beta.']);
    queue().complete(jobs, vectorsFor(jobs), 'p:1');
    expect(queue().status()).toEqual({ length: 0, oldestQueuedAt: null });
    expect(index.semantic.counts('p:1')).toEqual({ chunks: 2, embedded: 2 });
    expect(index.semantic.counts('other')).toEqual({ chunks: 2, embedded: 0 });
  });

  it('drops the jobs of a deleted page with the page', async () => {
    await write('Gone', '# Gone\n\nSoon deleted.');
    expect(queue().status().length).toBe(1);
    await wiki.deletePage('Gone', actor);
    expect(queue().status().length).toBe(0);
  });

  it('keeps the vectors of unchanged chunks when a page is edited, and queues only the new text', async () => {
    const long = (tag: string) => `${tag} ${'word '.repeat(60)}`;
    await write('Doc', `# One\n\n${long('first')}\n\n# Two\n\n${long('second')}`);
    const jobs = queue().claim('w', 10, LEASE);
    expect(jobs).toHaveLength(2);
    queue().complete(jobs, vectorsFor(jobs), 'p:1');
    const page = await wiki.readPage('Doc');
    await wiki.writePage('Doc', `# One\n\n${long('first')}\n\n# Two\n\n${long('changed')}`, {
      ...actor,
      revision: page.revision,
    });
    const queued = queue().claim('w', 10, LEASE);
    expect(queued.map((j) => j.text)).toEqual([`[Doc > Two] ${long('changed').trim()}`]);
    expect(index.semantic.counts('p:1')).toEqual({ chunks: 2, embedded: 1 });
  });

  it('keeps every vector through a full rebuild', async () => {
    await write('A', 'Alpha.');
    const jobs = queue().claim('w', 10, LEASE);
    queue().complete(jobs, vectorsFor(jobs), 'p:1');
    await index.rebuild();
    expect(queue().status().length).toBe(0);
    expect(index.semantic.counts('p:1')).toEqual({ chunks: 1, embedded: 1 });
  });

  it('keeps every vector when a new index version rebuilds the index', async () => {
    await write('A', 'Alpha.');
    const jobs = queue().claim('w', 10, LEASE);
    queue().complete(jobs, vectorsFor(jobs), 'p:1');
    const file = join(dir, 'index.sqlite');
    const stale = new BetterSqlite3(file);
    stale.prepare("UPDATE meta SET value = 'an older version' WHERE key = 'schema_version'").run();
    stale.close();
    const reopened = WikiIndex.open(file, repo);
    try {
      await reopened.ensureFresh();
      expect(reopened.semantic.queue.status().length).toBe(0);
      expect(reopened.semantic.counts('p:1')).toEqual({ chunks: 1, embedded: 1 });
    } finally {
      reopened.close();
    }
  });

  it('retries a failed job only after a pause', async () => {
    await write('A', 'Alpha.');
    const now = Date.now();
    const jobs = queue().claim('w', 10, LEASE, now);
    queue().release(jobs, 'w', now);
    expect(queue().claim('w', 10, LEASE, now + 1)).toEqual([]);
    expect(queue().claim('w', 10, LEASE, now + 2000)).toHaveLength(1);
  });

  it('frees the claims of a process that died, and only those', async () => {
    await write('A', 'Alpha.');
    await write('B', 'Beta.');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const deadOwner = `${dead}@${hostname()}#dead`;
    const liveOwner = `${process.pid}@${hostname()}#live`;
    const elsewhere = `${dead}@another-host#away`;
    expect([isAlive(deadOwner), isAlive(liveOwner), isAlive(elsewhere)]).toEqual([false, true, true]);
    queue().claim(deadOwner, 1, LEASE);
    queue().claim(liveOwner, 1, LEASE);
    expect(queue().releaseDeadClaims(isAlive)).toBe(1);
    expect(queue().claim('next', 10, LEASE)).toHaveLength(1);
  });

  it('re-queues texts embedded by another provider and drops its vectors', async () => {
    await write('A', 'Alpha.');
    const jobs = queue().claim('w', 10, LEASE);
    queue().complete(jobs, vectorsFor(jobs), 'old:model:4');
    expect(queue().adoptProvider('old:model:4')).toBe(0);
    expect(queue().adoptProvider('new:model:8')).toBe(1);
    expect(index.semantic.counts('old:model:4').embedded).toBe(0);
    expect(
      queue()
        .claim('w', 10, LEASE)
        .map((j) => j.text),
    ).toEqual(['[A] Alpha.']);
  });
});

describe('the in-memory vector mirror', () => {
  it('follows vectors added, changed and removed through another connection', async () => {
    const other = WikiIndex.open(join(dir, 'index.sqlite'), repo);
    try {
      const mirror = other.semantic.mirror('p:1', 4);
      mirror.refresh();
      expect(mirror.store.size).toBe(0);

      await write('A', 'Alpha.');
      await write('B', 'Beta.');
      const jobs = queue().claim('w', 10, LEASE);
      queue().complete(jobs, vectorsFor(jobs), 'p:1');
      mirror.refresh();
      expect(mirror.store.size).toBe(2);
      const [best] = mirror.store.search(axis(0), 1);
      const [chunk] = other.semantic.chunks([best?.id as number]);
      expect(chunk?.text).toBe(jobs[0]?.text);

      await wiki.deletePage('A', actor);
      mirror.refresh();
      expect(mirror.store.size).toBe(1);

      queue().adoptProvider('p:2');
      mirror.refresh();
      expect(mirror.store.size).toBe(0);
    } finally {
      other.close();
    }
  });
});
