import type { FC } from 'hono/jsx';
import type { FileDiff } from '../../../wiki/diff.js';
import type { CommitDetails, PageComparison } from '../../../wiki/history.js';
import type { Chrome } from '../chrome.js';
import { shortDate, shortSha, subject } from '../present.js';
import { commitUrl, pageActionUrl, pageAtUrl, pageUrl, revertUrl } from '../urls.js';
import { Layout } from './layout.js';
import { Breadcrumbs } from './page.js';

const STATUS_LABEL: Record<FileDiff['status'], string> = {
  added: 'added',
  deleted: 'deleted',
  modified: 'changed',
};

/** One file's changes as a table: old and new line numbers, marker, text. */
export const FileDiffView: FC<{ slug: string; diff: FileDiff; title?: string }> = ({ slug, diff, title }) => (
  <section class="diff-file" aria-label={`Changes to ${diff.file}`}>
    <header>
      {diff.page && diff.status !== 'deleted' ? (
        <a href={pageUrl(slug, diff.page)}>{diff.file}</a>
      ) : (
        diff.file
      )}{' '}
      <span class="muted">({title ?? STATUS_LABEL[diff.status]})</span>
    </header>
    {diff.binary ? (
      <p class="muted">Binary file: no text to compare.</p>
    ) : diff.hunks.length === 0 ? (
      <p class="muted">No differences.</p>
    ) : (
      <div class="diff-scroll">
        <table class="diff">
          <tbody>
            {diff.hunks.map((hunk) => (
              <>
                <tr class="hunk">
                  <td colspan={4}>{hunk.header}</td>
                </tr>
                {hunk.lines.map((line) => (
                  <tr class={line.kind}>
                    <td class="num">{line.oldNumber ?? ''}</td>
                    <td class="num">{line.newNumber ?? ''}</td>
                    <td class="marker num">
                      {line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}
                    </td>
                    <td class="text">{line.text}</td>
                  </tr>
                ))}
              </>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </section>
);

export const ComparePage: FC<{ chrome: Chrome; comparison: PageComparison }> = ({ chrome, comparison }) => {
  const slug = chrome.wiki?.slug ?? '';
  const { from, to, path } = comparison;
  return (
    <Layout chrome={chrome} title={`Changes to ${path}`}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">Changes to {path}</h1>
        <p>
          From <a href={pageAtUrl(slug, path, from.revision)}>{shortSha(from.revision)}</a> (
          {shortDate(from.date)}, {from.author}) to{' '}
          <a href={pageAtUrl(slug, path, to.revision)}>{shortSha(to.revision)}</a> ({shortDate(to.date)},{' '}
          {to.author}). <a href={pageActionUrl(slug, 'history', path)}>Back to the history</a>
        </p>
        <FileDiffView
          slug={slug}
          diff={comparison.diff}
          title={`${shortSha(from.revision)} → ${shortSha(to.revision)}`}
        />
      </div>
    </Layout>
  );
};

export const CommitPage: FC<{ chrome: Chrome; commit: CommitDetails }> = ({ chrome, commit }) => {
  const slug = chrome.wiki?.slug ?? '';
  const body = commit.message.split('\n').slice(1).join('\n').trim();
  return (
    <Layout chrome={chrome} title={`Commit ${shortSha(commit.revision)}`}>
      <div class="content-width">
        <h1 class="page-title">{subject(commit.message) || '(no message)'}</h1>
        {body && <pre class="config">{body}</pre>}
        <p class="page-meta">
          <span class="sha">{commit.revision}</span> by {commit.author} on{' '}
          <time datetime={commit.date}>{shortDate(commit.date)}</time>
          {commit.parent && (
            <>
              {' '}
              · parent <a href={commitUrl(slug, commit.parent)}>{shortSha(commit.parent)}</a>
            </>
          )}
        </p>
        {chrome.wiki?.can.write && (
          <ul class="actions">
            <li>
              <a class="button" href={revertUrl(slug, commit.revision)}>
                Revert this commit
              </a>
            </li>
          </ul>
        )}
        {commit.files.map((diff) => (
          <FileDiffView slug={slug} diff={diff} />
        ))}
        {commit.moreFiles > 0 && <p class="muted">…and {commit.moreFiles} more files.</p>}
      </div>
    </Layout>
  );
};
