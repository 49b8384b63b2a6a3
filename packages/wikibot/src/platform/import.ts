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
  try {
    await cloneBare(source, registry.repoDir(options.slug));
  } catch (error) {
    throw new Invalid(`Cannot import ${source}: ${gitReason(error)}`);
  }
  const record = await registry.create(options.slug, {
    ...(options.title ? { title: options.title } : {}),
    template: false,
  });
  const wiki = await registry.wiki(options.slug);
  await wiki.reindex(options.progress);
  return record;
}

/** git's first words on a failed clone ("repository '/x' does not exist"), else the error's message. */
function gitReason(error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '');
  const fatal = stderr.split('\n').find((line) => line.startsWith('fatal: '));
  return fatal ? fatal.slice('fatal: '.length) : (error as Error).message;
}
