import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { StoreLocation } from '../../src/config.js';
import { openPlatformStore, type PlatformDb } from '../../src/platform/store.js';
import { createDatabase } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster of the `postgres` test project (test/support/postgres-global.ts). */
    postgresAdminUrl: string;
  }
}

/**
 * The platform store this test run uses: the `postgres` project of vitest.config.ts sets
 * WIKIBOT_TEST_STORE=postgres and starts a PostgreSQL cluster; otherwise SQLite in the data directory.
 */
export const TEST_STORE: StoreLocation['kind'] =
  process.env.WIKIBOT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

const databases = new Map<string, string>();

/**
 * A new data directory for a wikibot (in-process or `wikibot serve`/CLI child processes alike). On the
 * PostgreSQL run it comes with a fresh database, named in its wikibot.toml.
 */
export async function freshDataDir(prefix = 'wikibot-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeWikibotToml(dir, '');
  return dir;
}

/** Write `<dataDir>/wikibot.toml` (tables only, no top-level keys), keeping the test store's section. */
export async function writeWikibotToml(dataDir: string, toml: string): Promise<void> {
  const url = await databaseFor(dataDir);
  if (!url && !toml) return;
  await writeFile(join(dataDir, 'wikibot.toml'), url ? `${toml}\n[store]\nurl = "${url}"\n` : toml);
}

/** The test store opened directly (for tests of the stores themselves). */
export async function openTestStore(dataDir: string, options: { upTo?: string } = {}): Promise<PlatformDb> {
  const url = await databaseFor(dataDir);
  return openPlatformStore(
    url ? { kind: 'postgres', url, poolSize: 5 } : { kind: 'sqlite', file: join(dataDir, 'platform.sqlite') },
    undefined,
    options,
  );
}

async function databaseFor(dataDir: string): Promise<string | null> {
  if (TEST_STORE !== 'postgres') return null;
  let url = databases.get(dataDir);
  if (!url) {
    url = await createDatabase(inject('postgresAdminUrl'));
    databases.set(dataDir, url);
  }
  return url;
}
