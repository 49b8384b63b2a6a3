import type { FC } from 'hono/jsx';
import type { MyWiki } from '../../../platform/service/index.js';
import type { Chrome } from '../chrome.js';
import { shortDate } from '../present.js';
import { PLATFORM, wikiHome } from '../urls.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';

/** The signed-in start page: my wikis with my role and their last change, and a form to make one. */
export const MyWikisPage: FC<{
  chrome: Chrome;
  wikis: MyWiki[];
  isAdmin: boolean;
  problem: string | null;
}> = ({ chrome, wikis, isAdmin, problem }) => (
  <Layout chrome={chrome} title="My wikis">
    <div class="content-width">
      <h1 class="page-title">My wikis</h1>
      {problem && (
        <p class="flash error" role="alert">
          {problem}
        </p>
      )}
      {isAdmin && (
        <p>
          <a href={PLATFORM.admin}>Platform administration</a>
        </p>
      )}
      {wikis.length === 0 ? (
        <p class="muted">
          You have no role on any wiki yet. Create one below, or ask an owner for an invitation.
        </p>
      ) : (
        <table class="list my-wikis">
          <thead>
            <tr>
              <th scope="col">Wiki</th>
              <th scope="col">My role</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {wikis.map((wiki) => (
              <tr>
                <td>
                  <a href={wikiHome(wiki.slug)}>{wiki.title}</a> <span class="muted">/w/{wiki.slug}</span>
                </td>
                <td>{wiki.role}</td>
                <td>{wiki.lastChange ? shortDate(wiki.lastChange) : 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel" aria-labelledby="create-title">
        <h2 id="create-title">Create a wiki</h2>
        <form method="post" action={PLATFORM.wikis}>
          <CsrfField token={chrome.csrf} />
          <div class="field">
            <label for="wiki-slug">
              Address <span class="hint">lowercase letters, digits and dashes: /w/&lt;address&gt;/</span>
            </label>
            <input type="text" id="wiki-slug" name="slug" required maxlength={64} />
          </div>
          <div class="field">
            <label for="wiki-title">Title</label>
            <input type="text" id="wiki-title" name="title" maxlength={200} />
          </div>
          <fieldset class="field">
            <legend>Start with</legend>
            <label>
              <input type="radio" name="template" value="bootstrap" checked /> A home page, a usage guide and
              a page template
            </label>
            <label>
              <input type="radio" name="template" value="empty" /> No pages
            </label>
          </fieldset>
          <button type="submit" class="primary">
            Create wiki
          </button>
        </form>
      </section>
    </div>
  </Layout>
);
