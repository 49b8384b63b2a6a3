import type { FC } from 'hono/jsx';
import type { WikiRecord } from '../../../platform/wikis.js';
import type { Chrome } from '../chrome.js';
import { PLATFORM, wikiHome } from '../urls.js';
import { Layout } from './layout.js';

/** The start page: the wikis this caller can open. */
export const WikisPage: FC<{ chrome: Chrome; wikis: WikiRecord[] }> = ({ chrome, wikis }) => (
  <Layout chrome={chrome} title="My wikis">
    <div class="content-width">
      <h1 class="page-title">{chrome.user ? 'My wikis' : 'Wikis'}</h1>
      {wikis.length === 0 ? (
        <p>
          {chrome.user ? (
            <>
              You are not a member of any wiki yet. Ask a wiki owner for an invitation, or{' '}
              <a href={PLATFORM.wikis}>create a wiki</a>.
            </>
          ) : (
            <>
              There are no public wikis here. <a href={PLATFORM.login(chrome.here)}>Log in</a> to see yours.
            </>
          )}
        </p>
      ) : (
        <ul class="cards">
          {wikis.map((wiki) => (
            <li>
              <h2>
                <a href={wikiHome(wiki.slug)}>{wiki.title}</a>
              </h2>
              <p class="muted">
                /w/{wiki.slug}
                {wiki.isPublic ? ' · public' : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  </Layout>
);
