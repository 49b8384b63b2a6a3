import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WikiLimitsStore } from '../../src/platform/limits/limits.js';
import type { PlatformDb } from '../../src/platform/store.js';
import { removeDir } from '../support/server.js';
import { freshDataDir, openTestStore } from '../support/store.js';

let dataDir: string;
let db: PlatformDb;

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-limits-store-');
  db = await openTestStore(dataDir);
  for (const slug of ['main', 'other']) {
    await db
      .insertInto('wikis')
      .values({ slug, title: slug, is_public: 0, created_at: new Date().toISOString() })
      .execute();
  }
});
afterAll(async () => {
  await db.destroy();
  await removeDir(dataDir);
});

describe('WikiLimitsStore', () => {
  const defaults = { pages: 100, repo_bytes: 0, attachment_bytes: 5_000_000_000, attachments: 0 };

  it('holds each wiki to the defaults until an admin overrides some; null returns to the default, 0 is unlimited', async () => {
    const store = new WikiLimitsStore(db, defaults);
    expect(await store.limits('main')).toEqual({ pages: 100, attachmentBytes: 5_000_000_000 });

    expect(await store.setOverrides('main', { pages: 500, repo_bytes: 6_000_000_000 })).toEqual({
      pages: 500,
      repo_bytes: 6_000_000_000,
      attachment_bytes: null,
      attachments: null,
    });
    expect(await store.limits('main')).toEqual({
      pages: 500,
      repoBytes: 6_000_000_000,
      attachmentBytes: 5_000_000_000,
    });
    await store.setOverrides('main', { pages: null, attachment_bytes: 0 });
    expect(await store.limits('main')).toEqual({ pages: 100, repoBytes: 6_000_000_000 });
    expect(await store.limits('other')).toEqual({ pages: 100, attachmentBytes: 5_000_000_000 });
  });

  it('reads what another process stored, and forgets the overrides of a deleted wiki', async () => {
    await new WikiLimitsStore(db, defaults).setOverrides('other', { attachments: 3 });
    expect((await new WikiLimitsStore(db, defaults).overrides('other')).attachments).toBe(3);
    await db.deleteFrom('wikis').where('slug', '=', 'other').execute();
    expect(await db.selectFrom('wiki_limits').select('wiki_slug').execute()).toEqual([{ wiki_slug: 'main' }]);
  });
});
