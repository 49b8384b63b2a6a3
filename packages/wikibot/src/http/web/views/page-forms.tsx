import type { FC } from 'hono/jsx';
import type { Chrome } from '../chrome.js';
import { pageActionUrl, pageUrl, wikiPageUrl } from '../urls.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';
import { Breadcrumbs, PageLinks } from './page.js';

type Problem = { text: string } | null;

const ProblemBox: FC<{ problem: Problem }> = ({ problem }) =>
  problem ? (
    <p class="flash error" role="alert">
      {problem.text}
    </p>
  ) : null;

/** A link to a page that does not exist leads here: offer to create it. */
export const NotFoundPage: FC<{
  chrome: Chrome;
  path: string;
  /** Pages under `path/`: a folder without a page of its own. */
  pagesInside: { path: string; name: string }[];
  /** How many pages there are under `path/` in all. */
  morePagesInside: number;
}> = ({ chrome, path, pagesInside, morePagesInside }) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title={path}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">{path}</h1>
        {pagesInside.length > 0 ? (
          <>
            <p>This folder has no page of its own. The pages in it:</p>
            <ul class="folder-pages">
              {pagesInside.map((page) => (
                <li>
                  <a href={pageUrl(slug, page.path)}>{page.path.slice(path.length + 1)}</a>
                </li>
              ))}
            </ul>
            {morePagesInside > pagesInside.length && (
              <p>
                <a href={wikiPageUrl(slug, 'index', { prefix: `${path}/` })}>
                  All {morePagesInside} pages in {path}
                </a>
              </p>
            )}
          </>
        ) : (
          <p>This page does not exist yet.</p>
        )}
        <ul class="actions">
          {chrome.wiki?.can.write && (
            <li>
              <a class="button primary" href={pageActionUrl(slug, 'edit', path)} data-shortcut="e">
                Create this page
              </a>
            </li>
          )}
          <li>
            <a class="button" href={wikiPageUrl(slug, 'search', { q: path.split('/').pop() ?? path })}>
              Search for it
            </a>
          </li>
        </ul>
      </div>
    </Layout>
  );
};

/** Name a new page, then go to its editor. */
export const CreatePage: FC<{ chrome: Chrome; path: string; problem: Problem }> = ({
  chrome,
  path,
  problem,
}) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title="New page">
      <div class="content-width">
        <h1 class="page-title">New page</h1>
        <ProblemBox problem={problem} />
        <form method="get" action={wikiPageUrl(slug, 'create')}>
          <div class="field">
            <label for="new-path">
              Page name <span class="hint">Use / for subpages, e.g. Projects/Roadmap</span>
            </label>
            <input type="text" id="new-path" name="path" value={path} required />
          </div>
          <button type="submit" class="primary">
            Continue
          </button>
        </form>
      </div>
    </Layout>
  );
};

export const RenamePage: FC<{
  chrome: Chrome;
  path: string;
  newPath: string;
  message: string;
  backlinks: number;
  problem: Problem;
}> = ({ chrome, path, newPath, message, backlinks, problem }) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title={`Rename ${path}`}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">Rename {path}</h1>
        <ProblemBox problem={problem} />
        <p>
          The page moves with its attachments and subpages.{' '}
          {backlinks === 0
            ? 'No other page links here.'
            : `Links in ${backlinks} ${backlinks === 1 ? 'page' : 'pages'} will be updated in the same commit.`}
        </p>
        <form method="post" action={pageActionUrl(slug, 'rename', path)}>
          <CsrfField token={chrome.csrf} />
          <div class="field">
            <label for="new-path">New name</label>
            <input type="text" id="new-path" name="new_path" value={newPath} required />
          </div>
          <div class="field">
            <label for="commit-message">Commit message</label>
            <input
              type="text"
              id="commit-message"
              name="message"
              value={message}
              placeholder={`Rename ${path}`}
            />
          </div>
          <div class="form-row">
            <button type="submit" class="primary">
              Rename
            </button>
            <a href={pageUrl(slug, path)}>Cancel</a>
          </div>
        </form>
      </div>
    </Layout>
  );
};

export const DeletePage: FC<{
  chrome: Chrome;
  path: string;
  attachments: number;
  /** Pages that link here: their links turn red. */
  linkedFrom: string[];
  problem: Problem;
}> = ({ chrome, path, attachments, linkedFrom, problem }) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title={`Delete ${path}`}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">Delete {path}?</h1>
        <ProblemBox problem={problem} />
        <p>
          The page{' '}
          {attachments > 0 ? `and its ${attachments} attachment${attachments === 1 ? '' : 's'} ` : ''}
          will be deleted in one commit. Its history stays, and the deletion can be reverted from the
          changelog.
        </p>
        {linkedFrom.length > 0 && (
          <div class="linked-from">
            <p>
              {linkedFrom.length === 1 ? '1 page links' : `${linkedFrom.length} pages link`} here; those links
              will lead to a missing page:
            </p>
            <PageLinks slug={slug} paths={linkedFrom} />
          </div>
        )}
        <form method="post" action={pageActionUrl(slug, 'delete', path)}>
          <CsrfField token={chrome.csrf} />
          <div class="field">
            <label for="commit-message">Commit message</label>
            <input type="text" id="commit-message" name="message" placeholder={`Delete ${path}`} />
          </div>
          <div class="form-row">
            <button type="submit" class="danger">
              Delete page
            </button>
            <a href={pageUrl(slug, path)}>Cancel</a>
          </div>
        </form>
      </div>
    </Layout>
  );
};
