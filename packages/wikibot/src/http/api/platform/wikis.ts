import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../../context.js';
import { jsonBody, queryParams } from '../request.js';
import { requestCaller } from './caller.js';
import { wikiJson } from './present.js';
import { CreateWikiBody, UpdateWikiBody, WikiListQuery } from './schemas.js';

/** /wikis: create, list mine (or my deleted ones), get, change, delete, restore. */
export function wikiRoutes(api: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const wikis = deps.platform.wikis;

  api.post('/wikis', async (c) => {
    const body = await jsonBody(c, CreateWikiBody);
    const record = await wikis.create(requestCaller(c), {
      slug: body.slug,
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.template ? { template: body.template } : {}),
    });
    return c.json(wikiJson(deps.baseUrl(), record), 201);
  });

  api.get('/wikis', async (c) => {
    const caller = requestCaller(c);
    const listed =
      queryParams(c, WikiListQuery).deleted === 'true'
        ? await wikis.listDeleted(caller)
        : await wikis.listMine(caller);
    return c.json({ wikis: listed.map((w) => wikiJson(deps.baseUrl(), w)) });
  });

  api.get('/wikis/:slug', async (c) =>
    c.json(wikiJson(deps.baseUrl(), await wikis.get(requestCaller(c), c.req.param('slug')))),
  );

  api.patch('/wikis/:slug', async (c) => {
    const body = await jsonBody(c, UpdateWikiBody);
    const record = await wikis.update(requestCaller(c), c.req.param('slug'), {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.public !== undefined ? { isPublic: body.public } : {}),
      ...(body.slug !== undefined ? { slug: body.slug } : {}),
    });
    return c.json(wikiJson(deps.baseUrl(), record));
  });

  api.delete('/wikis/:slug', async (c) => {
    const slug = c.req.param('slug');
    const { restorableUntil } = await wikis.delete(requestCaller(c), slug);
    return c.json({ slug, deleted: true, restorable_until: restorableUntil });
  });

  api.post('/wikis/:slug/restore', async (c) =>
    c.json(wikiJson(deps.baseUrl(), await wikis.restore(requestCaller(c), c.req.param('slug')))),
  );
}
