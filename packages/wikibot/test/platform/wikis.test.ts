import { existsSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, type Platform } from '../../src/platform/service/index.js';
import { SCOPES } from '../../src/platform/tokens.js';
import { openServices } from '../../src/services.js';
import { removeDir } from '../support/server.js';
import { openBench, type PlatformBench } from './support.js';

const DAY_MS = 86_400_000;
/** A request arrives in a turn of the event loop of its own: another connection's commits are seen from there. */
const nextRequest = () => new Promise((resolve) => setImmediate(resolve));
let bench: PlatformBench;
let platform: Platform;

beforeAll(async () => {
  bench = await openBench();
  platform = bench.platform({ deleted_wiki_retention_days: 30 });
});
afterAll(async () => {
  await bench.services.close();
  await removeDir(bench.dataDir);
});

describe('Platform.wikis', () => {
  it('creates from the bootstrap template or empty; the maker owns it and sees role and last change', async () => {
    const { caller: ann } = await bench.person('ann');
    const made = await platform.wikis.create(ann, { slug: 'notes', title: '  Ann’s notes ' });
    expect(made).toMatchObject({ slug: 'notes', title: 'Ann’s notes', isPublic: false });
    await platform.wikis.create(ann, { slug: 'blank', template: 'empty' });
    const notes = await bench.services.registry.wiki('notes');
    expect((await notes.listPages()).pages.map((p) => p.name)).toContain('Home');
    const blank = await bench.services.registry.wiki('blank');
    expect((await blank.listPages()).total).toBe(0);

    const mine = await platform.wikis.listMine(ann);
    expect(mine.map((w) => [w.slug, w.role])).toEqual([
      ['blank', 'owner'],
      ['notes', 'owner'],
    ]);
    expect(mine.find((w) => w.slug === 'notes')?.lastChange).toMatch(/^\d{4}-/);
    expect(mine.find((w) => w.slug === 'blank')?.lastChange).toBeNull();

    const { caller: bob } = await bench.person('bob');
    expect(await platform.wikis.listMine(bob)).toEqual([]);
    await expect(platform.wikis.get(bob, 'notes')).rejects.toThrow('Wiki not found: notes');
    await expect(platform.wikis.create(ann, { slug: 'Bad Slug' })).rejects.toThrow('Invalid wiki slug');
    await expect(platform.wikis.create(ann, { slug: 'notes' })).rejects.toThrow('Wiki already exists: notes');
  });

  it('lets owners change title, visibility and slug; members, tokens and pages move with the slug', async () => {
    const { user: cy, caller: cyCaller } = await bench.person('cy');
    const { user: dee, caller: deeCaller } = await bench.person('dee');
    await platform.wikis.create(cyCaller, { slug: 'old-name' });
    await platform.members.set(cyCaller, 'old-name', 'dee', 'editor');
    const token = await platform.tokens.createMine(cyCaller, {
      name: 't',
      scopes: ['wiki:read'],
      wiki: 'old-name',
    });

    await expect(platform.wikis.update(deeCaller, 'old-name', { isPublic: true })).rejects.toThrow(
      "This needs the owner role on wiki 'old-name'; dee is editor",
    );
    const renamed = await platform.wikis.update(cyCaller, 'old-name', {
      title: 'New name',
      isPublic: true,
      slug: 'new-name',
    });
    expect(renamed).toMatchObject({ slug: 'new-name', title: 'New name', isPublic: true });
    expect(await bench.services.registry.get('old-name')).toBeUndefined();
    expect(await bench.services.auth.members.roleOf('new-name', dee.id)).toBe('editor');
    expect(await bench.services.auth.members.roleOf('new-name', cy.id)).toBe('owner');
    expect((await bench.services.tokens.verify(token.token))?.wiki).toBe('new-name');
    const wiki = await bench.services.registry.wiki('new-name');
    expect((await wiki.readPage('Home')).content).toContain('# old-name');
    await expect(
      platform.wikis.update(cyCaller, 'new-name', { title: 'Clash', slug: 'notes' }),
    ).rejects.toThrow('Wiki already exists: notes');
    expect((await platform.wikis.get(cyCaller, 'new-name')).title).toBe('New name');
  });

  it("every door's next request sees a wiki changed through another process or connection", async () => {
    const { caller: fay } = await bench.person('fay-shared');
    await platform.wikis.create(fay, { slug: 'shared', template: 'empty' });
    const here = bench.services.registry;
    expect(await here.get('shared')).toMatchObject({ isPublic: false });
    // A second process on the same store: its own connection.
    const other = await openServices(bench.services.config, pino({ level: 'silent' }), {
      embedQueued: false,
    });
    try {
      await other.registry.update('shared', { isPublic: true });
      await nextRequest();
      expect(await here.get('shared')).toMatchObject({ isPublic: true });
      // A write on this process's own connection, not through the registry.
      await bench.services.db
        .updateTable('wikis')
        .set({ title: 'Renamed' })
        .where('slug', '=', 'shared')
        .execute();
      expect(await here.get('shared')).toMatchObject({ title: 'Renamed' });
      await other.registry.softDelete('shared', new Date());
      await nextRequest();
      expect(await here.get('shared')).toBeUndefined();
      await other.registry.restore('shared');
      await nextRequest();
      expect(await here.get('shared')).toMatchObject({ slug: 'shared' });
    } finally {
      await other.close();
    }
  });

  it('keeps a deleted wiki restorable for the retention period, then purges it', async () => {
    const { caller: eve } = await bench.person('eve');
    const { caller: fay } = await bench.person('fay');
    await platform.wikis.create(eve, { slug: 'doomed' });
    await platform.members.set(eve, 'doomed', 'fay', 'editor');
    await expect(platform.wikis.delete(fay, 'doomed')).rejects.toThrow('needs the owner role');

    const { restorableUntil } = await platform.wikis.delete(eve, 'doomed');
    expect(Date.parse(restorableUntil) - bench.clock.now.getTime()).toBe(30 * DAY_MS);
    expect(await bench.services.registry.get('doomed')).toBeUndefined();
    expect((await platform.wikis.listMine(eve)).map((w) => w.slug)).not.toContain('doomed');
    expect((await platform.wikis.listDeleted(eve)).map((w) => w.slug)).toEqual(['doomed']);
    expect(await platform.wikis.listDeleted(fay)).toEqual([]);
    await expect(platform.wikis.create(eve, { slug: 'doomed' })).rejects.toThrow('can still be restored');
    await expect(platform.wikis.restore(fay, 'doomed')).rejects.toThrow('needs the owner role');

    const restored = await platform.wikis.restore(eve, 'doomed');
    expect(restored.slug).toBe('doomed');
    expect((await (await bench.services.registry.wiki('doomed')).readPage('Home')).content).toContain(
      'doomed',
    );
    expect((await platform.wikis.listMine(fay)).map((w) => [w.slug, w.role])).toEqual([['doomed', 'editor']]);

    await platform.wikis.delete(eve, 'doomed');
    const repo = bench.services.registry.repoDir('doomed');
    bench.clock.now = new Date(bench.clock.now.getTime() + 29 * DAY_MS);
    expect(await platform.wikis.purgeExpired()).toEqual([]);
    bench.clock.now = new Date(bench.clock.now.getTime() + 2 * DAY_MS);
    await expect(platform.wikis.restore(eve, 'doomed')).rejects.toThrow(
      'No restorable deleted wiki is called doomed',
    );
    expect(await platform.wikis.purgeExpired()).toEqual(['doomed']);
    expect(existsSync(repo)).toBe(false);
    expect(await platform.wikis.purgeExpired()).toEqual([]);
    // The slug is free again.
    await platform.wikis.create(eve, { slug: 'doomed', template: 'empty' });
  });

  it('imports a git repository for platform admins only; the importer owns the new wiki', async () => {
    const { caller: ann } = await bench.person('ann-importer');
    await platform.wikis.create(ann, { slug: 'import-source' });
    const source = bench.services.registry.repoDir('import-source');
    await expect(platform.wikis.import(ann, source, { slug: 'copied' })).rejects.toThrow(
      'Only platform admins may import a repository',
    );
    const { caller: ira } = await bench.person('ira', { admin: true });
    const record = await platform.wikis.import(ira, source, { slug: 'copied', title: 'Copied' });
    expect(record).toMatchObject({ slug: 'copied', title: 'Copied' });
    const copied = await bench.services.registry.wiki('copied');
    expect((await copied.listPages()).pages.map((p) => p.name)).toContain('Home');
    expect((await platform.wikis.listMine(ira)).find((w) => w.slug === 'copied')?.role).toBe('owner');
    await expect(platform.wikis.import(OPERATOR, source, { slug: 'copied' })).rejects.toThrow(
      'Wiki already exists: copied',
    );
  });

  it('lets an account own at most max_wikis_per_user wikis; platform admins have no limit', async () => {
    const limited = bench.platform({ max_wikis_per_user: 1 });
    const { caller: hana } = await bench.person('hana');
    const { caller: root } = await bench.person('root', { admin: true });
    await limited.wikis.create(hana, { slug: 'hana-1', template: 'empty' });
    await expect(limited.wikis.create(hana, { slug: 'hana-2', template: 'empty' })).rejects.toThrow(
      'hana owns 1 wikis, the most one account may (max_wikis_per_user = 1)',
    );
    await limited.wikis.create(root, { slug: 'root-1', template: 'empty' });
    await limited.wikis.create(root, { slug: 'root-2', template: 'empty' });
  });

  it('bounds a caller by its credential: scopes and wikis', async () => {
    const { user: gus } = await bench.person('gus');
    const readOnly = {
      userId: gus.id,
      name: 'gus',
      isAdmin: false,
      scopes: new Set(['wiki:read'] as const),
      wikis: '*' as const,
    };
    await expect(platform.wikis.create(readOnly, { slug: 'nope' })).rejects.toThrow(
      'lacks the scope wiki:admin',
    );
    const oneWiki = { ...readOnly, scopes: new Set(SCOPES), wikis: new Set(['notes']) };
    await expect(platform.wikis.create(oneWiki, { slug: 'nope' })).rejects.toThrow('for one wiki');
    expect((await platform.wikis.listAll(OPERATOR)).map((w) => w.slug)).toContain('notes');
    await expect(platform.wikis.listAll({ ...readOnly, scopes: new Set(SCOPES) })).rejects.toThrow(
      'Only platform admins',
    );
  });
});
