import type { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { safeNext } from '../../safeNext.js';
import { principalOf, readableWikis } from '../access.js';
import type { WebDeps, WebEnv } from '../env.js';
import { wikiHome } from '../urls.js';
import { platformChrome, THEME_COOKIE } from '../viewer.js';
import { WikisPage } from '../views/wikis.js';

/** Pages outside any wiki: the start page, the theme switch and the client assets. */
export function platformRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/-/assets/:hash/*', (c) => {
    const prefix = `/-/assets/${c.req.param('hash')}/`;
    return deps.assets.serve(c, c.req.param('hash'), c.req.path.slice(prefix.length));
  });

  app.get('/', async (c) => {
    const principal = principalOf(c);
    const wikis = await readableWikis(principal, await deps.registry.list());
    const [only] = wikis;
    if (wikis.length === 1 && only) return c.redirect(wikiHome(only.slug), 302);
    return c.html(<WikisPage chrome={platformChrome(c, deps)} wikis={wikis} />);
  });

  // A link (so it works without JavaScript); the client script switches in place instead.
  app.get('/-/theme', (c) => {
    const set = c.req.query('set');
    if (set === 'light' || set === 'dark') {
      setCookie(c, THEME_COOKIE, set, { path: '/', maxAge: 365 * 86_400, sameSite: 'Lax' });
    }
    return c.redirect(safeNext(c.req.query('next'), deps.baseUrl()), 303);
  });
}
