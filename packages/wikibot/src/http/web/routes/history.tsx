import type { Hono } from 'hono';
import { Conflict, Invalid } from '../../../wiki/errors.js';
import { principalOf } from '../access.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { needs } from '../gate.js';
import { field, formBody, pathAfter } from '../request.js';
import { pageActionUrl, pageUrl, wikiPageUrl } from '../urls.js';
import { wikiChrome } from '../viewer.js';
import { CommitPage, ComparePage } from '../views/diff.js';
import { BlamePage, HistoryPage, RevertPage } from '../views/history.js';

/** Commits shown on a page's history. */
const HISTORY_LIMIT = 500;

function actionPath(c: WebContext, action: string): string {
  return pathAfter(c, `/w/${c.req.param('slug')}/-/${action}/`);
}

/** History, compare, single commit, blame and revert: what git remembers, through the wiki service. */
export function historyRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  const write = needs(deps, 'write');

  app.get('/w/:slug/-/history/*', async (c) => {
    const { path, history } = await c.get('wiki').history(actionPath(c, 'history'), HISTORY_LIMIT);
    const chrome = await wikiChrome(c, deps, { current: path });
    return c.html(<HistoryPage chrome={chrome} path={path} history={history} />);
  });

  app.get('/w/:slug/-/compare/*', async (c) => {
    const path = actionPath(c, 'compare');
    const from = c.req.query('from');
    const to = c.req.query('to');
    if (!from || !to) return c.redirect(pageActionUrl(c.req.param('slug'), 'history', path), 303);
    const comparison = await c.get('wiki').compare(path, from, to);
    const chrome = await wikiChrome(c, deps, { current: comparison.path });
    return c.html(<ComparePage chrome={chrome} comparison={comparison} />);
  });

  app.get('/w/:slug/-/commit/:revision', async (c) => {
    const commit = await c.get('wiki').commit(c.req.param('revision'));
    const chrome = await wikiChrome(c, deps);
    return c.html(<CommitPage chrome={chrome} commit={commit} />);
  });

  app.get('/w/:slug/-/blame/*', async (c) => {
    const revision = c.req.query('revision');
    const blame = await c.get('wiki').blame(actionPath(c, 'blame'), revision || undefined);
    const chrome = await wikiChrome(c, deps, { current: blame.path });
    return c.html(
      <BlamePage chrome={chrome} path={blame.path} revision={blame.revision} blocks={blame.blocks} />,
    );
  });

  app.get('/w/:slug/-/revert/:revision', write, async (c) => {
    const commit = await c.get('wiki').commit(c.req.param('revision'));
    const chrome = await wikiChrome(c, deps);
    return c.html(<RevertPage chrome={chrome} commit={commit} problem={null} />);
  });

  app.post('/w/:slug/-/revert/:revision', write, async (c) => {
    const wiki = c.get('wiki');
    const slug = c.req.param('slug');
    const form = await formBody(c);
    try {
      const result = await wiki.revert(c.req.param('revision'), {
        actor: principalOf(c).actor,
        source: 'web',
        message: field(form, 'message'),
      });
      const [only] = result.pages;
      const back = result.pages.length === 1 && only ? pageUrl(slug, only) : wikiPageUrl(slug, 'changelog');
      return redirectWith(c, back, `Reverted ${result.reverted.slice(0, 7)}.`);
    } catch (error) {
      if (!(error instanceof Conflict || error instanceof Invalid)) throw error;
      const commit = await wiki.commit(c.req.param('revision'));
      const chrome = await wikiChrome(c, deps);
      return c.html(
        <RevertPage chrome={chrome} commit={commit} problem={error.message} />,
        error instanceof Conflict ? 409 : 422,
      );
    }
  });
}
