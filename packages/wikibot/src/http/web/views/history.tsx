import type { FC } from 'hono/jsx';
import type { BlameBlock } from '../../../wiki/history.js';
import type { CommitSummary } from '../../../wiki/types.js';
import type { Chrome } from '../chrome.js';
import { shortDate, shortSha, subject } from '../present.js';
import { commitUrl, compareUrl, pageActionUrl, pageAtUrl, revertUrl } from '../urls.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';
import { Breadcrumbs } from './page.js';

/** A page's commits, newest first, with two radio columns to compare any two of them. */
export const HistoryPage: FC<{ chrome: Chrome; path: string; history: CommitSummary[] }> = ({
  chrome,
  path,
  history,
}) => {
  const slug = chrome.wiki?.slug ?? '';
  const write = chrome.wiki?.can.write ?? false;
  return (
    <Layout chrome={chrome} title={`History of ${path}`}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">History of {path}</h1>
        <form method="get" action={pageActionUrl(slug, 'compare', path)}>
          <table class="list history">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Revision</th>
                <th scope="col">Date</th>
                <th scope="col">Author</th>
                <th scope="col">Message</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.map((entry, index) => {
                const older = history[index + 1];
                return (
                  <tr>
                    <td>
                      <input
                        type="radio"
                        name="from"
                        value={entry.revision}
                        checked={index === Math.min(1, history.length - 1)}
                        aria-label={`Compare from ${shortSha(entry.revision)}`}
                      />
                    </td>
                    <td>
                      <input
                        type="radio"
                        name="to"
                        value={entry.revision}
                        checked={index === 0}
                        aria-label={`Compare to ${shortSha(entry.revision)}`}
                      />
                    </td>
                    <td>
                      <a class="sha" href={pageAtUrl(slug, path, entry.revision)}>
                        {shortSha(entry.revision)}
                      </a>
                    </td>
                    <td>
                      <time datetime={entry.date}>{shortDate(entry.date)}</time>
                    </td>
                    <td>{entry.author}</td>
                    <td>
                      <a href={commitUrl(slug, entry.revision)}>{subject(entry.message)}</a>
                    </td>
                    <td>
                      {older && <a href={compareUrl(slug, path, older.revision, entry.revision)}>diff</a>}
                      {write && (
                        <>
                          {older ? ' · ' : ''}
                          <a href={revertUrl(slug, entry.revision)}>revert</a>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {history.length > 1 && (
            <p>
              <button type="submit" class="primary">
                Compare selected revisions
              </button>
            </p>
          )}
        </form>
      </div>
    </Layout>
  );
};

export const BlamePage: FC<{ chrome: Chrome; path: string; revision: string; blocks: BlameBlock[] }> = ({
  chrome,
  path,
  revision,
  blocks,
}) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title={`Blame of ${path}`}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">Blame of {path}</h1>
        <p class="muted">
          Who last changed each line, as of <a href={pageAtUrl(slug, path, revision)}>{shortSha(revision)}</a>
          .
        </p>
        <div class="diff-file diff-scroll">
          <table class="blame">
            <tbody>
              {blocks.map((block) =>
                block.lines.map((line, index) => (
                  <tr class={index === 0 ? 'first' : undefined}>
                    <td class="commit">
                      {index === 0 && (
                        <>
                          <a
                            class="sha"
                            href={commitUrl(slug, block.commit.revision)}
                            title={subject(block.commit.message)}
                          >
                            {shortSha(block.commit.revision)}
                          </a>{' '}
                          {block.commit.author}, {shortDate(block.commit.date).slice(0, 10)}
                        </>
                      )}
                    </td>
                    <td class="num">{line.number}</td>
                    <td class="text">{line.text}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </div>
    </Layout>
  );
};

export const RevertPage: FC<{ chrome: Chrome; commit: CommitSummary; problem: string | null }> = ({
  chrome,
  commit,
  problem,
}) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title={`Revert ${shortSha(commit.revision)}`}>
      <div class="content-width">
        <h1 class="page-title">Revert {shortSha(commit.revision)}?</h1>
        {problem && (
          <p class="flash error" role="alert">
            {problem}
          </p>
        )}
        <p>
          “<a href={commitUrl(slug, commit.revision)}>{subject(commit.message)}</a>” by {commit.author} on{' '}
          {shortDate(commit.date)}. Reverting puts every file it changed back as it was before, in a new
          commit.
        </p>
        <form method="post" action={revertUrl(slug, commit.revision)}>
          <CsrfField token={chrome.csrf} />
          <div class="field">
            <label for="commit-message">Commit message</label>
            <input
              type="text"
              id="commit-message"
              name="message"
              placeholder={`Revert ${shortSha(commit.revision)}`}
            />
          </div>
          <div class="form-row">
            <button type="submit" class="primary">
              Revert
            </button>
            <a href={commitUrl(slug, commit.revision)}>Cancel</a>
          </div>
        </form>
      </div>
    </Layout>
  );
};
