import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { PageView, RenderedBody } from '../../../wiki/types.js';
import type { Chrome } from '../chrome.js';
import { breadcrumbs, propertyRows, shortDate, shortSha, subject } from '../present.js';
import { commitUrl, pageActionUrl, pageUrl, wikiPageUrl } from '../urls.js';
import { Layout } from './layout.js';

export interface PageViewProps {
  chrome: Chrome;
  page: PageView;
  body: RenderedBody;
  /** Set when an old revision is shown: the page's current revision. */
  oldRevision: boolean;
}

/** A page: breadcrumbs, title, actions, properties, rendered content, contents list and backlinks. */
export const PageViewPage: FC<PageViewProps> = ({ chrome, page, body, oldRevision }) => {
  const slug = chrome.wiki?.slug ?? '';
  const { title, html, toc } = oneTitle(body, page);
  const showToc = toc.length >= 2;
  return (
    <Layout chrome={chrome} title={title} katex={body.hasMath}>
      <div class={showToc ? 'page-grid' : 'page-grid no-toc'}>
        <article>
          <Breadcrumbs slug={slug} path={page.path} />
          <h1 class="page-title">{title}</h1>
          {oldRevision && (
            <p class="flash warn">
              This is an old revision ({shortSha(page.revision)}, {shortDate(page.lastCommit.date)}).{' '}
              <a href={pageUrl(slug, page.path)}>See the current version</a>.
            </p>
          )}
          <PageActions chrome={chrome} path={page.path} />
          <p class="page-meta">
            Last changed <time datetime={page.lastCommit.date}>{shortDate(page.lastCommit.date)}</time> by{' '}
            {page.lastCommit.author} ·{' '}
            <a href={commitUrl(slug, page.revision)}>
              <span class="sha">{shortSha(page.revision)}</span> {subject(page.lastCommit.message)}
            </a>
          </p>
          <Properties slug={slug} frontmatter={page.frontmatter} />
          <div class="markdown">{raw(html)}</div>
          <Backlinks slug={slug} paths={page.linkedFrom} />
        </article>
        {showToc && (
          <nav class="toc" aria-label="Contents">
            <h2>Contents</h2>
            <ol>
              {toc.map((entry) => (
                <li class={`level-${entry.level}`}>
                  <a href={`#${entry.id}`}>{entry.title}</a>
                </li>
              ))}
            </ol>
          </nav>
        )}
      </div>
    </Layout>
  );
};

export const Breadcrumbs: FC<{ slug: string; path: string }> = ({ slug, path }) => (
  <nav class="breadcrumbs" aria-label="Breadcrumbs">
    <ol>
      {breadcrumbs(path).map((crumb, index, all) => (
        <li>
          {index === all.length - 1 ? (
            <span aria-current="page">{crumb.label}</span>
          ) : (
            <a href={pageUrl(slug, crumb.path)}>{crumb.label}</a>
          )}
        </li>
      ))}
    </ol>
  </nav>
);

/** The page's actions; editors get the ones that change it. */
export const PageActions: FC<{ chrome: Chrome; path: string }> = ({ chrome, path }) => {
  const slug = chrome.wiki?.slug ?? '';
  const write = chrome.wiki?.can.write ?? false;
  return (
    <ul class="actions" aria-label="Page actions">
      {write && (
        <li>
          <a class="button primary" href={pageActionUrl(slug, 'edit', path)} data-shortcut="e">
            Edit
          </a>
        </li>
      )}
      <li>
        <a class="button" href={pageActionUrl(slug, 'history', path)} data-shortcut="h">
          History
        </a>
      </li>
      <li>
        <a class="button" href={pageActionUrl(slug, 'blame', path)} data-shortcut="b">
          Blame
        </a>
      </li>
      <li>
        <a class="button" href={pageActionUrl(slug, 'attachments', path)} data-shortcut="a">
          Attachments
        </a>
      </li>
      {write && (
        <li>
          <a class="button" href={pageActionUrl(slug, 'rename', path)}>
            Rename
          </a>
        </li>
      )}
      {write && (
        <li>
          <a class="button danger" href={pageActionUrl(slug, 'delete', path)}>
            Delete
          </a>
        </li>
      )}
    </ul>
  );
};

const Properties: FC<{ slug: string; frontmatter: PageView['frontmatter'] }> = ({ slug, frontmatter }) => {
  const rows = propertyRows(frontmatter);
  if (rows.length === 0) return null;
  return (
    <dl class="properties" aria-label="Page properties">
      {rows.map((row) => (
        <>
          <dt>{row.key}</dt>
          <dd>
            {row.tags ? (
              row.tags.map((tag) => (
                <a class="tag" href={wikiPageUrl(slug, 'index', { tag })}>
                  {tag}
                </a>
              ))
            ) : row.key === 'category' ? (
              <a href={wikiPageUrl(slug, 'index', { category: row.value })}>{row.value}</a>
            ) : (
              row.value
            )}
          </dd>
        </>
      ))}
    </dl>
  );
};

const Backlinks: FC<{ slug: string; paths: string[] }> = ({ slug, paths }) => (
  <section class="backlinks" aria-labelledby="backlinks-title">
    <h2 id="backlinks-title">Pages linking here</h2>
    {paths.length === 0 ? (
      <p class="muted">No page links here yet.</p>
    ) : (
      <PageLinks slug={slug} paths={paths} />
    )}
  </section>
);

/** Links to pages, each named by its path. */
export const PageLinks: FC<{ slug: string; paths: string[] }> = ({ slug, paths }) => (
  <ul>
    {paths.map((path) => (
      <li>
        <a href={pageUrl(slug, path)}>{path}</a>
      </li>
    ))}
  </ul>
);

/**
 * One title above the content: a first `# Heading` becomes it (and leaves the content), unless the
 * frontmatter names the page otherwise; then a first heading saying the same is not repeated.
 */
function oneTitle(
  body: RenderedBody,
  page: PageView,
): { title: string; html: string; toc: RenderedBody['toc'] } {
  const first = body.toc[0];
  const end = body.html.indexOf('</h1>');
  const unchanged = { title: page.name, html: body.html, toc: body.toc };
  if (first?.level !== 1 || !body.html.startsWith('<h1') || end < 0) return unchanged;
  const named = page.frontmatter?.title !== undefined;
  if (named && first.title.trim().toLowerCase() !== page.name.trim().toLowerCase()) return unchanged;
  return {
    title: named ? page.name : first.title,
    html: body.html.slice(end + '</h1>'.length).replace(/^\n/, ''),
    toc: body.toc.slice(1),
  };
}
