import { cloneBare } from '../git/clone.js';
import type { ProgressFn } from '../index/wikiIndex.js';
import { Conflict, Invalid } from '../wiki/errors.js';
import type { WikiRecord, WikiRegistry } from './wikis.js';
import { SLUG_PATTERN } from './wikis.js';

/** Make an existing git or Otterwiki repository a wiki, unchanged, and build its index. */
export async function importRepository(
  registry: WikiRegistry,
  source: string,
  options: { slug: string; title?: string; progress?: ProgressFn },
): Promise<WikiRecord> {
  if (!SLUG_PATTERN.test(options.slug)) throw new Invalid(`Invalid wiki slug: ${options.slug}`);
  if (await registry.get(options.slug)) throw new Conflict(`Wiki already exists: ${options.slug}`);
  await cloneBare(source, registry.repoDir(options.slug));
  const record = await registry.create(options.slug, {
    ...(options.title ? { title: options.title } : {}),
    template: false,
  });
  const wiki = await registry.wiki(options.slug);
  await wiki.index.rebuild(options.progress);
  return record;
}
