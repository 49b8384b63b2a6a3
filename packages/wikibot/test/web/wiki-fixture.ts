import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepository } from '../../src/git/repository.js';
import { WikiIndex } from '../../src/index/wikiIndex.js';
import type { ChangeOptions } from '../../src/wiki/types.js';
import { Wiki } from '../../src/wiki/wiki.js';

export const AS_TESTER: ChangeOptions = { actor: { name: 'Tess', email: 'tess@example.org' }, source: 'web' };

/** A wiki service over a fresh bare repository and index in a temp dir (real git, real SQLite). */
export async function openTestWiki(): Promise<{ wiki: Wiki; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wikibot-web-'));
  const repo = await GitRepository.init(join(dir, 'repo.git'));
  const index = WikiIndex.open(join(dir, 'index.sqlite'), repo);
  const wiki = new Wiki('main', repo, index);
  return {
    wiki,
    async close() {
      await wiki.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
