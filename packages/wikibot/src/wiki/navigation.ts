import { pageFileName } from '../domain/pagePath.js';
import type { WikiStorage } from './history.js';

/**
 * The commit the wiki's current pages reflect (after catching up with the branch), or null for an
 * empty wiki. Changes with every write: a key for caching whatever is derived from the page set.
 */
export async function wikiVersion(wiki: WikiStorage): Promise<string | null> {
  await wiki.index.ensureFresh();
  return wiki.index.recentCommit;
}

/**
 * A synchronous "does this page exist?" (case-insensitive, as page lookups are) over the current pages,
 * for code that cannot await per lookup, like the Markdown renderer resolving wikilinks. It asks for
 * the page's file, not the page, so no content is read.
 */
export async function pageExistence(wiki: WikiStorage): Promise<(path: string) => boolean> {
  await wiki.index.ensureFresh();
  return (path) => wiki.index.file(pageFileName(path)) !== undefined;
}
