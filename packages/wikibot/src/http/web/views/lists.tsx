import type { FC } from 'hono/jsx';
import type { SearchAnswer, SearchMode } from '../../../wiki/search.js';
import type { ChangelogEntry } from '../../../wiki/types.js';
import type { Wiki } from '../../../wiki/wiki.js';
import type { Chrome } from '../chrome.js';
import { shortDate, shortSha, subject } from '../present.js';
import { commitUrl, pageUrl, wikiPageUrl } from '../urls.js';
import { Layout } from './layout.js';

type PageSummary = Awaited<ReturnType<Wiki['listPages']>>['pages'][number];

export const ChangelogPage: FC<{
  chrome: Chrome;
  entries: ChangelogEntry[];
  page: number;
  hasMore: boolean;
}> = ({ chrome, entries, page, hasMore }) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title="Changelog">
      <div class="content-width">
        <h1 class="page-title">Changelog</h1>
        <p class="muted">
          Every change to this wiki. Feeds: <a href={wikiPageUrl(slug, 'changelog.atom')}>Atom</a> ·{' '}
          <a href={wikiPageUrl(slug, 'changelog.rss')}>RSS</a>
        </p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Date</th>
              <th scope="col">Author</th>
              <th scope="col">Message</th>
              <th scope="col">Pages</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr>
                <td>
                  <a class="sha" href={commitUrl(slug, entry.revision)}>
                    {shortSha(entry.revision)}
                  </a>
                </td>
                <td>
                  <time datetime={entry.date}>{shortDate(entry.date)}</time>
                </td>
                <td>{entry.author}</td>
                <td>{subject(entry.message)}</td>
                <td>
                  {entry.pagesAffected.map((path, index) => (
                    <>
                      {index > 0 && ', '}
                      <a href={pageUrl(slug, path)}>{path}</a>
                    </>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav class="pager" aria-label="Pages of the changelog">
          {page > 1 && <a href={wikiPageUrl(slug, 'changelog', { page: String(page - 1) })}>← Newer</a>}
          {hasMore && <a href={wikiPageUrl(slug, 'changelog', { page: String(page + 1) })}>Older →</a>}
        </nav>
      </div>
    </Layout>
  );
};

/** The first letter a page is filed under in the A–Z index. */
export function indexLetter(name: string): string {
  const first = name.trim().charAt(0).toLocaleUpperCase();
  return /\p{L}/u.test(first) ? first : '#';
}

export const IndexPage: FC<{ chrome: Chrome; pages: PageSummary[]; filter: string | null }> = ({
  chrome,
  pages,
  filter,
}) => {
  const slug = chrome.wiki?.slug ?? '';
  const groups = new Map<string, PageSummary[]>();
  const sorted = [...pages].sort((a, b) =>
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }),
  );
  for (const page of sorted) {
    const letter = indexLetter(page.name);
    groups.set(letter, [...(groups.get(letter) ?? []), page]);
  }
  const letters = [...groups.keys()].sort((a, b) => (a === '#' ? -1 : b === '#' ? 1 : a.localeCompare(b)));
  return (
    <Layout chrome={chrome} title="A–Z index">
      <div class="content-width">
        <h1 class="page-title">A–Z index</h1>
        <p class="muted">
          {pages.length} {pages.length === 1 ? 'page' : 'pages'}
          {filter ? ` (${filter}) · ` : ''}
          {filter && <a href={wikiPageUrl(slug, 'index')}>show all</a>}
        </p>
        <ul class="az-letters" aria-label="Letters">
          {letters.map((letter) => (
            <li>
              <a href={`#letter-${encodeURIComponent(letter)}`}>{letter}</a>
            </li>
          ))}
        </ul>
        {letters.map((letter) => (
          <section class="az-group" aria-labelledby={`letter-${letter}`}>
            <h2 id={`letter-${letter}`}>{letter}</h2>
            <ul>
              {(groups.get(letter) ?? []).map((page) => (
                <li>
                  <a href={pageUrl(slug, page.path)}>{page.name}</a>
                  {page.name !== page.path && <span class="muted"> — {page.path}</span>}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Layout>
  );
};

const MODES: [mode: SearchMode | '', label: string][] = [
  ['', 'Best match'],
  ['fulltext', 'Exact words (full text)'],
  ['semantic', 'Meaning (semantic)'],
];

export const SearchPage: FC<{
  chrome: Chrome;
  query: string;
  mode: SearchMode | null;
  /** Offer search by meaning (an embedding model is ready). */
  semantic: boolean;
  answer: SearchAnswer | null;
  /** Results page, from 1, of `pageSize` results each. */
  page: number;
  pageSize: number;
  notice: string | null;
}> = ({ chrome, query, mode, semantic, answer, page, pageSize, notice }) => {
  const slug = chrome.wiki?.slug ?? '';
  const modes = MODES.filter(([value]) => value !== 'semantic' || semantic);
  const first = (page - 1) * pageSize;
  const pageLink = (to: number) =>
    wikiPageUrl(slug, 'search', { q: query, ...(mode ? { mode } : {}), page: String(to) });
  return (
    <Layout chrome={chrome} title={query ? `Search: ${query}` : 'Search'}>
      <div class="content-width">
        <h1 class="page-title">Search</h1>
        <search>
          <form method="get" action={wikiPageUrl(slug, 'search')} class="form-row">
            <label class="visually-hidden" for="search-query">
              Search for
            </label>
            <input type="search" id="search-query" name="q" value={query} size={40} />
            {modes.length > 1 && (
              <>
                <label class="visually-hidden" for="search-mode">
                  Kind of search
                </label>
                <select id="search-mode" name="mode">
                  {modes.map(([value, label]) => (
                    <option value={value} selected={(mode ?? '') === value}>
                      {label}
                    </option>
                  ))}
                </select>
              </>
            )}
            <button type="submit" class="primary">
              Search
            </button>
          </form>
        </search>
        {notice && <p class="flash warn">{notice}</p>}
        {answer && (
          <>
            <p class="muted result-count">{resultCount(query, answer, first)}</p>
            <ol class="search-results" start={first + 1}>
              {answer.results.map((hit) => (
                <li>
                  <a href={pageUrl(slug, hit.path)}>{hit.name}</a>
                  <div class="path">{hit.path}</div>
                  <div class="snippet">
                    {hit.snippet.map((part) => (part.hit ? <mark>{part.text}</mark> : part.text))}
                  </div>
                </li>
              ))}
            </ol>
            <nav class="pager" aria-label="Result pages">
              {page > 1 && <a href={pageLink(page - 1)}>← Previous</a>}
              {first + answer.results.length < answer.total && <a href={pageLink(page + 1)}>Next →</a>}
            </nav>
          </>
        )}
      </div>
    </Layout>
  );
};

function resultCount(query: string, answer: SearchAnswer, first: number): string {
  const { total, results } = answer;
  if (total === 0) return `No pages match “${query}”.`;
  const found = `${total} ${total === 1 ? 'page' : 'pages'} found`;
  if (results.length === total) return `${found}.`;
  return `${found}; showing ${first + 1}–${first + results.length}.`;
}
