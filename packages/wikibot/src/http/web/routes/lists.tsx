import type { Hono } from 'hono';
import { Invalid, Unavailable } from '../../../wiki/errors.js';
import { SEARCH_MODES, type SearchAnswer, type SearchMode } from '../../../wiki/search.js';
import type { WebDeps, WebEnv } from '../env.js';
import { atomFeed, type FeedInfo, rssFeed } from '../feeds.js';
import { commitUrl, wikiHome, wikiPageUrl } from '../urls.js';
import { wikiChrome } from '../viewer.js';
import { ChangelogPage, IndexPage, SearchPage } from '../views/lists.js';

const CHANGELOG_PAGE_SIZE = 50;
const FEED_SIZE = 50;
const SEARCH_PAGE_SIZE = 50;

/** Changelog (with RSS and Atom feeds), the A–Z index and search. */
export function listRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/w/:slug/-/changelog', async (c) => {
    const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const entries = await c.get('wiki').changelog(CHANGELOG_PAGE_SIZE + 1, (page - 1) * CHANGELOG_PAGE_SIZE);
    const chrome = await wikiChrome(c, deps);
    return c.html(
      <ChangelogPage
        chrome={chrome}
        entries={entries.slice(0, CHANGELOG_PAGE_SIZE)}
        page={page}
        hasMore={entries.length > CHANGELOG_PAGE_SIZE}
      />,
    );
  });

  const feedInfo = (slug: string, title: string, self: string): FeedInfo => {
    const base = deps.baseUrl();
    return {
      title,
      link: base + wikiHome(slug),
      self: base + self,
      commitLink: (revision) => base + commitUrl(slug, revision),
    };
  };

  app.get('/w/:slug/-/changelog.rss', async (c) => {
    const { slug, title } = c.get('access').record;
    const entries = await c.get('wiki').changelog(FEED_SIZE);
    const body = rssFeed(feedInfo(slug, title, wikiPageUrl(slug, 'changelog.rss')), entries);
    return c.body(body, 200, { 'content-type': 'application/rss+xml; charset=utf-8' });
  });

  app.get('/w/:slug/-/changelog.atom', async (c) => {
    const { slug, title } = c.get('access').record;
    const entries = await c.get('wiki').changelog(FEED_SIZE);
    const body = atomFeed(feedInfo(slug, title, wikiPageUrl(slug, 'changelog.atom')), entries);
    return c.body(body, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
  });

  app.get('/w/:slug/-/index', async (c) => {
    const prefix = c.req.query('prefix')?.trim() || undefined;
    const tag = c.req.query('tag')?.trim() || undefined;
    const category = c.req.query('category')?.trim() || undefined;
    const { pages } = await c.get('wiki').listPages({
      ...(prefix ? { prefix } : {}),
      ...(tag ? { tag } : {}),
      ...(category ? { category } : {}),
    });
    const filter =
      [prefix && `under ${prefix}`, tag && `tagged ${tag}`, category && `category ${category}`]
        .filter(Boolean)
        .join(', ') || null;
    const chrome = await wikiChrome(c, deps);
    return c.html(<IndexPage chrome={chrome} pages={pages} filter={filter} />);
  });

  app.get('/w/:slug/-/search', async (c) => {
    const wiki = c.get('wiki');
    const query = (c.req.query('q') ?? '').trim();
    const asked = c.req.query('mode');
    const mode = SEARCH_MODES.includes(asked as SearchMode) ? (asked as SearchMode) : undefined;
    const page = Math.max(1, Math.min(1000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const chrome = await wikiChrome(c, deps);
    const view = (answer: SearchAnswer | null, notice: string | null) => (
      <SearchPage
        chrome={chrome}
        query={query}
        mode={mode ?? null}
        semantic={wiki.semantics.available}
        answer={answer}
        page={page}
        pageSize={SEARCH_PAGE_SIZE}
        notice={notice}
      />
    );
    if (!query) return c.html(view(null, null));
    try {
      const offset = (page - 1) * SEARCH_PAGE_SIZE;
      const answer = await wiki.search(query, { limit: SEARCH_PAGE_SIZE, offset, ...(mode ? { mode } : {}) });
      return c.html(view(answer, null));
    } catch (error) {
      if (error instanceof Unavailable) return c.html(view(null, error.message), 503);
      if (error instanceof Invalid) return c.html(view(null, error.message), 422);
      throw error;
    }
  });
}
