import type { Hono } from 'hono';
import { pagePathProblem } from '../../../domain/pagePath.js';
import { Conflict, EditConflict, Invalid, NotFound, TooLarge, Unavailable } from '../../../wiki/errors.js';
import type { PageView, RenderedBody } from '../../../wiki/types.js';
import type { Wiki } from '../../../wiki/wiki.js';
import { principalOf } from '../access.js';
import { serveAttachment } from '../attachment-response.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { isOtherDoor, needs } from '../gate.js';
import { field, formBody, pathAfter } from '../request.js';
import { compareUrl, pageActionUrl, pageUrl, wikiHome } from '../urls.js';
import { wikiChrome, wikiFrame, withSidebar } from '../viewer.js';
import { EditPage, type EditProps } from '../views/edit.js';
import { PageViewPage } from '../views/page.js';
import { CreatePage, DeletePage, NotFoundPage, RenamePage } from '../views/page-forms.js';

const HOME = 'Home';
/** Pages listed for a folder that has no page of its own; the A–Z index has the rest. */
const FOLDER_LISTING = 200;

/** The path after `/w/<slug>/-/<action>/`. */
function actionPath(c: WebContext, action: string): string {
  return pathAfter(c, `/w/${c.req.param('slug')}/-/${action}/`);
}

function actor(c: WebContext) {
  return { actor: principalOf(c).actor, source: 'web' as const };
}

/** View, create, edit, preview, rename and delete pages. The page view is the catch-all: mount last. */
export function pageRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  const write = needs(deps, 'write');

  app.get('/w/:slug/-/create', write, async (c) => {
    const path = (c.req.query('path') ?? '').trim().replace(/^\/+|\/+$/g, '');
    const problem = path ? pagePathProblem(path) : null;
    if (path && !problem) return c.redirect(pageActionUrl(c.req.param('slug'), 'edit', path), 303);
    const chrome = await wikiChrome(c, deps);
    return c.html(
      <CreatePage chrome={chrome} path={path} problem={problem ? { text: problem } : null} />,
      problem ? 422 : 200,
    );
  });

  app.get('/w/:slug/-/edit/*', write, async (c) => {
    const path = actionPath(c, 'edit');
    const page = await existingPage(c, path);
    return editForm(c, deps, {
      path: page?.path ?? path,
      name: page?.name ?? null,
      content: page?.content ?? '',
      revision: page?.revision ?? '',
      message: '',
      preview: null,
      problem: null,
    });
  });

  app.post('/w/:slug/-/edit/*', write, async (c) => {
    const path = actionPath(c, 'edit');
    const form = await formBody(c);
    const content = field(form, 'content').replace(/\r\n?/g, '\n');
    const revision = field(form, 'revision').trim();
    const message = field(form, 'message');
    const wiki = c.get('wiki');
    const badName = pagePathProblem(path);
    const page = badName ? null : await existingPage(c, path);
    const base = {
      path: page?.path ?? path,
      name: page?.name ?? null,
      content,
      revision,
      message,
      preview: null,
      problem: null,
    };
    if (badName) return editForm(c, deps, { ...base, problem: { text: badName } }, 422);
    if (field(form, 'action') === 'preview') {
      const preview = await previewOrProblem(wiki, base.path, content);
      if ('problem' in preview)
        return editForm(c, deps, { ...base, problem: { text: preview.problem } }, preview.status);
      return editForm(c, deps, { ...base, preview });
    }
    try {
      const saved = await wiki.saveEdit(path, content, {
        ...actor(c),
        message,
        ...(revision ? { revision } : {}),
      });
      return redirectWith(
        c,
        pageUrl(c.req.param('slug'), saved.path),
        saved.created
          ? `Created ${saved.path}.`
          : saved.merged
            ? 'Saved, merged with the changes saved meanwhile.'
            : 'Saved.',
      );
    } catch (error) {
      if (error instanceof EditConflict) {
        // The editor now shows both sides of every overlap and is based on the revision it shows.
        const current = error.currentRevision;
        return editForm(
          c,
          deps,
          {
            ...base,
            content: error.merged,
            revision: current,
            problem: {
              text: `This page was changed by someone else while you were editing (now at ${current.slice(0, 7)}), and some of your changes overlap theirs. Your changes that did not overlap are merged below; where they overlap, both versions are shown between "<<<<<<< your edit", "=======" and ">>>>>>> saved meanwhile" lines. Keep what should stay, remove those marker lines, and save again.`,
              ...(revision
                ? { compareUrl: compareUrl(c.req.param('slug'), base.path, revision, current) }
                : {}),
            },
          },
          409,
        );
      }
      if (error instanceof Invalid || error instanceof TooLarge) {
        return editForm(
          c,
          deps,
          { ...base, problem: { text: error.message } },
          error instanceof TooLarge ? 413 : 422,
        );
      }
      throw error;
    }
  });

  app.post('/w/:slug/-/preview/*', write, async (c) => {
    const path = actionPath(c, 'preview');
    const form = await formBody(c);
    const content = field(form, 'content').replace(/\r\n?/g, '\n');
    const preview = await previewOrProblem(c.get('wiki'), path || HOME, content);
    // JSON for a problem: the editor shows its `error` next to the preview tab.
    return 'problem' in preview ? c.json({ error: preview.problem }, preview.status) : c.html(preview.html);
  });

  app.get('/w/:slug/-/rename/*', write, async (c) => {
    const page = await c.get('wiki').readPage(actionPath(c, 'rename'));
    return renameForm(c, deps, page, page.path, '', null);
  });

  app.post('/w/:slug/-/rename/*', write, async (c) => {
    const wiki = c.get('wiki');
    const page = await wiki.readPage(actionPath(c, 'rename'));
    const form = await formBody(c);
    const newPath = field(form, 'new_path')
      .trim()
      .replace(/^\/+|\/+$/g, '');
    const message = field(form, 'message');
    try {
      const renamed = await wiki.renamePage(page.path, newPath, { ...actor(c), message });
      const links = renamed.updatedPages.length;
      return redirectWith(
        c,
        pageUrl(c.req.param('slug'), renamed.newPath),
        `Renamed ${renamed.oldPath} to ${renamed.newPath}${links ? `; links updated in ${links} ${links === 1 ? 'page' : 'pages'}` : ''}.`,
      );
    } catch (error) {
      if (error instanceof Invalid || error instanceof Conflict) {
        return renameForm(
          c,
          deps,
          page,
          newPath,
          message,
          error.message,
          error instanceof Conflict ? 409 : 422,
        );
      }
      throw error;
    }
  });

  app.get('/w/:slug/-/delete/*', write, async (c) => {
    const wiki = c.get('wiki');
    const page = await wiki.readPage(actionPath(c, 'delete'));
    const [{ attachments }, { linkedFrom }] = await Promise.all([
      wiki.listAttachments(page.path),
      wiki.links(page.path),
    ]);
    const chrome = await wikiChrome(c, deps, { current: page.path });
    return c.html(
      <DeletePage
        chrome={chrome}
        path={page.path}
        attachments={attachments.length}
        linkedFrom={linkedFrom}
        problem={null}
      />,
    );
  });

  app.post('/w/:slug/-/delete/*', write, async (c) => {
    const wiki = c.get('wiki');
    const path = actionPath(c, 'delete');
    const form = await formBody(c);
    const deleted = await wiki.deletePage(path, { ...actor(c), message: field(form, 'message') });
    return redirectWith(c, wikiHome(c.req.param('slug')), `Deleted ${deleted.path}.`);
  });

  app.get('/w/:slug', (c) => c.redirect(wikiHome(c.req.param('slug')), 301));

  // The catch-all: a page, an old revision of one, or an attachment next to it.
  app.get('/w/:slug/*', async (c, next) => {
    if (isOtherDoor(c)) return next();
    const path = pathAfter(c, `/w/${c.req.param('slug')}/`) || HOME;
    if (path.split('/')[0] === '-') throw new NotFound(`No such page: ${new URL(c.req.url).pathname}`);
    const wiki = c.get('wiki');
    const revision = c.req.query('revision');
    const frame = wikiFrame(c, deps);
    const key = deps.pageResponses.key(frame, await wiki.version());
    const kept = key === null ? null : await deps.pageResponses.send(c, key);
    if (kept) return kept;
    const page = await readOrNull(() => wiki.readPage(path, revision ? { revision } : {}));
    if (page) {
      const [body, chrome] = await Promise.all([
        wiki.renderPage(page),
        withSidebar(frame, deps, wiki, { current: page.path }),
      ]);
      const view = (
        <PageViewPage chrome={chrome} page={page} body={body} oldRevision={revision !== undefined} />
      );
      return key === null ? c.html(view) : deps.pageResponses.store(c, key, await view.toString());
    }
    if (revision) throw new NotFound(`Page not found at revision ${revision}: ${path}`);
    const slash = path.lastIndexOf('/');
    if (slash > 0) {
      const attachment = await readOrNull(() =>
        wiki.readAttachment(path.slice(0, slash), path.slice(slash + 1)),
      );
      if (attachment) return serveAttachment(attachment, c.req.query('download') !== undefined);
    }
    if (pagePathProblem(path)) return next();
    // A folder without a page of its own (a breadcrumb's parent, say) lists the pages in it.
    const [chrome, inside] = await Promise.all([
      withSidebar(frame, deps, wiki, { current: path }),
      wiki.listPages({ prefix: `${path}/`, limit: FOLDER_LISTING }),
    ]);
    return c.html(
      <NotFoundPage chrome={chrome} path={path} pagesInside={inside.pages} morePagesInside={inside.total} />,
      inside.pages.length > 0 ? 200 : 404,
    );
  });
}

/** Unsaved text rendered for the editor, or why it cannot be: over a render limit, or past the deadline. */
async function previewOrProblem(
  wiki: Wiki,
  path: string,
  content: string,
): Promise<RenderedBody | { problem: string; status: 422 | 503 }> {
  try {
    const preview = await wiki.previewPage(path, content);
    return preview.limitExceeded ? { problem: preview.limitExceeded, status: 422 } : preview;
  } catch (error) {
    if (error instanceof Unavailable) return { problem: error.message, status: 503 };
    throw error;
  }
}

async function existingPage(c: WebContext, path: string): Promise<PageView | null> {
  return readOrNull(() => c.get('wiki').readPage(path));
}

/** The result, or null when the service says there is no such thing. */
async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

async function editForm(
  c: WebContext,
  deps: WebDeps,
  props: Omit<EditProps, 'chrome'>,
  status: 200 | 409 | 413 | 422 | 503 = 200,
) {
  const chrome = await wikiChrome(c, deps, { sidebar: false });
  return c.html(<EditPage chrome={chrome} {...props} />, status);
}

async function renameForm(
  c: WebContext,
  deps: WebDeps,
  page: PageView,
  newPath: string,
  message: string,
  problem: string | null,
  status: 200 | 409 | 422 = 200,
) {
  const chrome = await wikiChrome(c, deps, { current: page.path });
  return c.html(
    <RenamePage
      chrome={chrome}
      path={page.path}
      newPath={newPath}
      message={message}
      backlinks={page.linkedFrom.filter((p) => p !== page.path).length}
      problem={problem ? { text: problem } : null}
    />,
    status,
  );
}
