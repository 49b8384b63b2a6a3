import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir, writeWikibotToml } from '../support/store.js';

let dataDir: string;
const cli = (...args: string[]) => runCli(['--data', dataDir, ...args]);

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-platform-cli-');
  await writeWikibotToml(dataDir, '[platform]\ndeleted_wiki_retention_days = 0\n');
});
afterAll(async () => {
  await removeDir(dataDir);
});

describe('wikibot wiki (through the platform service)', () => {
  it('creates empty or from the template, deletes restorably, restores and purges', async () => {
    await cli('wiki', 'create', 'kept', '--title', 'Kept', '--empty');
    await cli('wiki', 'create', 'gone');
    expect((await cli('wiki', 'list')).stdout).toBe('gone\tgone\tprivate\nkept\tKept\tprivate\n');

    const deleted = await cli('wiki', 'delete', 'kept', '--yes');
    expect(deleted.stdout).toMatch(
      /^deleted wiki kept; restorable until \d{4}-.*\(wikibot wiki restore kept\)\n$/,
    );
    expect((await cli('wiki', 'list')).stdout).toBe('gone\tgone\tprivate\n');
    // Retention 0: the deleted wiki is already past it, so it cannot be restored, only purged.
    await expect(cli('wiki', 'restore', 'kept')).rejects.toMatchObject({
      stderr: expect.stringContaining('No restorable deleted wiki is called kept'),
    });
    expect((await cli('wiki', 'purge', '--expired')).stdout).toBe('purged wiki kept\n');
    expect(existsSync(join(dataDir, 'wikis', 'kept'))).toBe(false);

    await expect(cli('wiki', 'purge', 'gone')).rejects.toMatchObject({
      stderr: expect.stringContaining('confirm with --yes'),
    });
    expect((await cli('wiki', 'purge', 'gone', '--yes')).stdout).toBe('purged wiki gone\n');
    expect((await cli('wiki', 'list')).stdout).toBe('');
  });

  it('restores a deleted wiki within the retention period', async () => {
    await writeWikibotToml(dataDir, '[platform]\ndeleted_wiki_retention_days = 30\n');
    await cli('wiki', 'create', 'back', '--empty');
    await cli('wiki', 'delete', 'back', '--yes');
    expect((await cli('wiki', 'list', '--deleted')).stdout).toMatch(
      /^back\tback\tdeleted \S+\trestorable until \S+\n$/,
    );
    await expect(cli('wiki', 'create', 'back')).rejects.toMatchObject({
      stderr: expect.stringContaining('can still be restored'),
    });
    expect((await cli('wiki', 'restore', 'back')).stdout).toBe('restored wiki back\n');
    expect((await cli('wiki', 'list')).stdout).toBe('back\tback\tprivate\n');
  });
});
