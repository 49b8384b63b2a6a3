import type { Hono } from 'hono';
import { Conflict, Forbidden, Invalid } from '../../../wiki/errors.js';
import { signedInCaller } from '../caller.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { field, formBody } from '../request.js';
import { PLATFORM, wikiHome } from '../urls.js';
import { platformChrome } from '../viewer.js';
import { MyWikisPage } from '../views/my-wikis.js';

/** "My wikis": the wikis the signed-in person has a role on, and creating one. */
export function wikisRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get(PLATFORM.wikis, (c) => myWikis(c, deps, null));

  app.post(PLATFORM.wikis, async (c) => {
    const caller = signedInCaller(c);
    if (caller instanceof Response) return caller;
    const form = await formBody(c);
    const title = field(form, 'title').trim();
    try {
      const wiki = await deps.platform.wikis.create(caller, {
        slug: field(form, 'slug').trim(),
        ...(title ? { title } : {}),
        template: field(form, 'template') === 'empty' ? 'empty' : 'bootstrap',
      });
      return redirectWith(c, wikiHome(wiki.slug), `Created the wiki “${wiki.title}”.`);
    } catch (error) {
      if (error instanceof Invalid || error instanceof Conflict || error instanceof Forbidden) {
        return myWikis(c, deps, error.message, error instanceof Forbidden ? 403 : 422);
      }
      throw error;
    }
  });
}

async function myWikis(c: WebContext, deps: WebDeps, problem: string | null, status: 200 | 403 | 422 = 200) {
  const caller = signedInCaller(c);
  if (caller instanceof Response) return caller;
  const wikis = await deps.platform.wikis.listMine(caller);
  wikis.sort((a, b) => a.title.localeCompare(b.title));
  return c.html(
    <MyWikisPage chrome={platformChrome(c, deps)} wikis={wikis} isAdmin={caller.isAdmin} problem={problem} />,
    status,
  );
}
