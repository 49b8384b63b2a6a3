import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { type EmbeddingServer, embeddingEnv, pageUrl, startEmbeddingServer, waitFor } from './support.js';

const ADMIN = 'processes-test-admin-token-0123456789';
let embedder: EmbeddingServer;
let dataDir: string;
const running: ServeProcess[] = [];

/** `wikibot serve` in its own OS process (build first: `npx tsc -b packages/wikibot`). */
async function serve(): Promise<ServeProcess> {
  const child = await serveProcess(['--data', dataDir, '--port', '0'], {
    ...embeddingEnv(embedder.url),
    WIKIBOT_ADMIN_TOKEN: ADMIN,
  });
  running.push(child);
  return child;
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as any };
}

const status = async (base: string) => (await call(base, 'GET', '/w/main/api/v1/reindex/status')).json;
const found = async (base: string, query: string) =>
  (await call(base, 'GET', `/w/main/api/v1/semantic-search?q=${encodeURIComponent(query)}`)).json.results.map(
    (r: any) => r.path,
  ) as string[];

beforeAll(async () => {
  embedder = await startEmbeddingServer();
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-search-processes-'));
});

afterAll(async () => {
  for (const child of running) await child.stop('SIGKILL');
  await embedder.close();
  await removeDir(dataDir);
});

describe('the embedding queue across processes', () => {
  it('survives kill -9 mid-batch and is finished by the next process', async () => {
    embedder.hold();
    const first = await serve();
    const topics = ['glacier ice melts', 'desert sand dunes', 'jungle parrots chatter', 'ocean waves crash'];
    for (const [i, topic] of topics.entries()) {
      const res = await call(first.url, 'PUT', pageUrl(`Place ${i}`), {
        content: `# Place ${i}\n\nThe ${topic}.`,
      });
      expect(res.status).toBe(201);
    }
    await waitFor('a batch to reach the embedding server', () => embedder.requests > 0);
    await first.stop('SIGKILL');

    // What the killed process left: a queue with claims of a process that no longer exists.
    const db = new BetterSqlite3(join(dataDir, 'wikis/main/index.sqlite'), { readonly: true });
    try {
      const queue = db
        .prepare('SELECT count(*) AS n, count(claimed_by) AS claimed FROM embedding_queue')
        .get() as {
        n: number;
        claimed: number;
      };
      expect(queue.n).toBeGreaterThan(0);
      expect(queue.claimed).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    embedder.release();
    const second = await serve();
    expect((await status(second.url)).queue_length).toBeGreaterThan(0);
    await waitFor(
      'the queue to drain after the restart',
      async () => (await status(second.url)).queue_length === 0,
    );
    for (const [i, topic] of topics.entries()) expect((await found(second.url, topic))[0]).toBe(`Place ${i}`);
  });

  it('finds a page another process wrote', async () => {
    const [mine] = running.filter(
      (child) => child.child.exitCode === null && child.child.signalCode === null,
    );
    const other = await serve();
    const res = await call(other.url, 'PUT', pageUrl('Elsewhere'), {
      content: '# Elsewhere\n\nA comet crosses the night sky.',
    });
    expect(res.status).toBe(201);
    const base = (mine as ServeProcess).url;
    await waitFor('the other process to be seen and its page embedded', async () => {
      const s = await status(base);
      return (
        s.queue_length === 0 &&
        s.chunks_embedded === s.chunks_total &&
        (await found(base, 'comet night sky'))[0] === 'Elsewhere'
      );
    });
  });
});
