import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/wikis.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { call, connect, ERAS, failure } from './support.js';

let server: TestServer;
let reader: string;

/** Pages whose links make C and D/E orphans; Home is the root and never counts as one. */
const PAGES: [string, string][] = [
  ['Home', 'Start at [[A]]; see the [[Churn]] log.'],
  ['A', 'Then [[B]] and [[Missing Page]]. The kernel scheduler lives here.'],
  ['B', 'Back to [[A]]. Nothing about schedulers.'],
  ['C', 'Nobody links here. kernel kernel kernel'],
  ['D/E', 'Deep and alone, links to [[D/E]] itself.'],
];

beforeAll(async () => {
  server = await startTestServer();
  reader = await server.token(['wiki:read']);
  const wiki = await server.services.registry.wiki('main');
  for (const [path, content] of PAGES) {
    await wiki.writePage(path, content, { actor: SYSTEM_ACTOR, source: 'cli', message: `Seed ${path}` });
  }
  // Enough commits to see get_recent_changes clamp at 200.
  let revision: string | undefined;
  for (let i = 0; i < 205; i++) {
    const options = {
      actor: SYSTEM_ACTOR,
      source: 'cli' as const,
      message: `Churn ${i}`,
      ...(revision ? { revision } : {}),
    };
    revision = (await wiki.writePage('Churn', `churn ${i}`, options)).revision;
  }
  await server.services.registry.create('tidy', { template: false });
  const tidy = await server.services.registry.wiki('tidy');
  await tidy.writePage('Home', 'See [[Only]].', { actor: SYSTEM_ACTOR, source: 'cli' });
  await tidy.writePage('Only', 'Back [[Home]].', { actor: SYSTEM_ACTOR, source: 'cli' });
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

describe.each(ERAS)('discovery tools over the %s era', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(server, era, reader);
  });
  afterAll(async () => {
    await client.close();
  });

  it('search_notes ranks full-text hits in its format', async () => {
    const { text, structured } = await call(client, 'search_notes', { query: 'kernel' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 results for "kernel":');
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^1\. C \(score: \d+\.\d{2}\)$/);
    expect(lines[3]).toBe('   Nobody links here. **kernel kernel kernel**');
    expect(lines[4]).toBe('');
    expect(lines[5]).toMatch(/^2\. A \(score: \d+\.\d{2}\)$/);
    expect(text.endsWith('\n')).toBe(false);
    expect(structured).toMatchObject({ query: 'kernel', total: 2, results: [{ path: 'C' }, { path: 'A' }] });
    expect((await call(client, 'search_notes', { query: 'zebra' })).text).toBe('0 results for "zebra":');
    expect(await failure(client, 'search_notes', { query: '   ' })).toMatch(/^Invalid request: /);
  });

  it('semantic_search says why it is unavailable when no embedding model is configured', async () => {
    expect(
      await failure(client, 'semantic_search', {
        query: 'operating systems',
        n: 500,
        max_chunks_per_page: 0,
      }),
    ).toMatch(/^Semantic search unavailable: /);
  });

  it('get_links lists both directions, and never fails for a missing page', async () => {
    const { text, structured } = await call(client, 'get_links', { path: 'A' });
    expect(text).toBe(
      'Links for A:\n\nLinks to (2):\n  - B\n  - Missing Page\nLinked from (2):\n  - B\n  - Home',
    );
    expect(structured).toEqual({ path: 'A', links_to: ['B', 'Missing Page'], linked_from: ['B', 'Home'] });
    expect((await call(client, 'get_links', { path: 'Nowhere' })).text).toBe(
      'Links for Nowhere:\n\nLinks to (0):\n  (none)\nLinked from (0):\n  (none)',
    );
  });

  it('get_recent_changes lists the changelog newest first, clamping limit to 1..200', async () => {
    const { text } = await call(client, 'get_recent_changes', { limit: 2 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 recent changes:');
    expect(lines[2]).toMatch(/^- \d{4}-\d{2}-\d{2}T\S+ \| wikibot \| Churn$/);
    expect(lines[3]).toBe('  Churn 204');
    expect((await call(client, 'get_recent_changes', { limit: 0 })).structured.total).toBe(1);
    expect((await call(client, 'get_recent_changes', { limit: 1000 })).structured.total).toBe(200);
    expect((await call(client, 'get_recent_changes')).structured.total).toBe(20);
  });

  it('find_orphaned_notes finds pages nothing links to, leaving out Home', async () => {
    const { text, structured } = await call(client, 'find_orphaned_notes');
    expect(text).toBe('Found 2 orphaned notes (no incoming links from any other page):\n\n- C\n- D/E');
    expect(structured).toEqual({ orphans: ['C', 'D/E'], total: 2 });
    const tidy = await connect(server, era, await server.token(['wiki:read'], 'tidy'), 'tidy');
    expect((await call(tidy, 'find_orphaned_notes')).text).toBe(
      'No orphaned notes found. All pages have at least one incoming link.',
    );
    await tidy.close();
  });
});
