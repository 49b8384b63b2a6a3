import type { Hono } from 'hono';
import { Invalid, NotFound } from '../../../wiki/errors.js';
import { principalOf } from '../access.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { needs } from '../gate.js';
import { field, formBody, pathAfter, wantsJson } from '../request.js';
import { attachmentUrl, pageActionUrl } from '../urls.js';
import { wikiChrome } from '../viewer.js';
import { AttachmentsPage } from '../views/attachments.js';

/** List, upload and delete a page's attachments (downloads are served next to the page). */
export function attachmentRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/w/:slug/-/attachments/*', async (c) => {
    const path = pathAfter(c, `/w/${c.req.param('slug')}/-/attachments/`);
    const listed = await c.get('wiki').listAttachments(path);
    return listPage(c, deps, listed.path, null);
  });

  // Uploads post to `…/-/attachments?page=<path>`: the body limit for attachments applies to this path.
  app.post('/w/:slug/-/attachments', needs(deps, 'write'), async (c) => {
    const slug = c.req.param('slug');
    const path = c.req.query('page') ?? '';
    if (!path) throw new Invalid("Query parameter 'page' is required");
    const wiki = c.get('wiki');
    const form = await formBody(c);
    const options = { actor: principalOf(c).actor, source: 'web' as const, message: field(form, 'message') };
    const toDelete = field(form, 'delete');
    if (toDelete) {
      const deleted = await wiki.deleteAttachment(path, toDelete, options);
      return redirectWith(c, pageActionUrl(slug, 'attachments', path), `Deleted ${deleted.filename}.`);
    }
    const raw = form.file;
    const files = (Array.isArray(raw) ? raw : [raw]).filter(
      (f): f is File => f instanceof File && f.name !== '',
    );
    if (files.length === 0) throw new Invalid('Choose at least one file to upload');
    const stored: { filename: string; path: string }[] = [];
    try {
      for (const file of files) {
        stored.push(
          await wiki.uploadAttachment(path, file.name, Buffer.from(await file.arrayBuffer()), options),
        );
      }
    } catch (error) {
      if (wantsJson(c) || !(error instanceof Invalid || error instanceof NotFound)) throw error;
      return listPage(c, deps, path, error.message, 422);
    }
    if (wantsJson(c)) {
      const [first] = stored;
      return c.json(
        { filename: first?.filename, url: first ? attachmentUrl(slug, first.path, first.filename) : null },
        201,
      );
    }
    const names = stored.map((s) => s.filename).join(', ');
    return redirectWith(c, pageActionUrl(slug, 'attachments', path), `Uploaded ${names}.`);
  });
}

async function listPage(
  c: WebContext,
  deps: WebDeps,
  path: string,
  problem: string | null,
  status: 200 | 422 = 200,
) {
  const { attachments, path: page } = await c.get('wiki').listAttachments(path);
  const chrome = await wikiChrome(c, deps, { current: page });
  return c.html(
    <AttachmentsPage chrome={chrome} path={page} attachments={attachments} problem={problem} />,
    status,
  );
}
