import { Hono, type MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../context.js';
import { PAGE_CSP, securityHeaders } from '../securityHeaders.js';
import { csrfProtect, session } from '../session.js';
import { ClientAssets } from './assets.js';
import type { WebDeps, WebEnv } from './env.js';
import { webErrorResponse } from './errors.js';
import { FAVICON_PATHS, favicon } from './favicon.js';
import { isOtherDoor, wikiGate } from './gate.js';
import { PageResponses } from './page-responses.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { attachmentRoutes } from './routes/attachments.js';
import { historyRoutes } from './routes/history.js';
import { listRoutes } from './routes/lists.js';
import { pageRoutes } from './routes/pages.js';
import { platformRoutes } from './routes/platform.js';
import { settingsRoutes } from './routes/settings.js';
import { signUpRoutes } from './routes/signup.js';
import { wikisRoutes } from './routes/wikis.js';
import { SidebarCache } from './sidebar.js';

export interface WebOptions {
  /** The client bundle (default: the package's built dist/web-client). */
  assets?: ClientAssets;
}

/** The web UI's own pages outside any wiki. */
const PLATFORM_PAGES = ['/-/account', '/-/wikis', '/-/invites/', '/-/admin', '/-/signup'];

/**
 * Run a middleware of the shared browser machinery (sessions, CSRF) for the web UI's own paths only,
 * never for another door's requests that pass through (REST, MCP under /w/<slug>/).
 */
function forBrowsers(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<WebEnv> {
  // WebEnv only adds variables to AppEnv, so the middleware sees everything it expects.
  const adapted = middleware as unknown as MiddlewareHandler<WebEnv>;
  return (c, next) => {
    const path = c.req.path;
    const ours =
      path === '/' ||
      PLATFORM_PAGES.some((prefix) => path.startsWith(prefix)) ||
      (path.startsWith('/w/') && !isOtherDoor(c));
    return ours ? adapted(c, next) : next();
  };
}

/**
 * The web UI (SPEC §7): server-rendered pages over the wiki service, at `/`, `/-/…` (platform pages)
 * and `/w/<slug>/…` (wikis). Mount it after every other door: its page view is a catch-all.
 */
export function webRouter(deps: AppDeps, options: WebOptions = {}): Hono<WebEnv> {
  const web: WebDeps = {
    ...deps,
    assets: options.assets ?? new ClientAssets(),
    sidebars: new SidebarCache(),
    pageResponses: new PageResponses(),
  };
  const app = new Hono<WebEnv>();
  app.use(securityHeaders({ csp: PAGE_CSP, referrer: 'same-origin', htmlOnly: true }));
  app.use(forBrowsers(session(deps)));
  app.use(forBrowsers(csrfProtect()));
  for (const path of FAVICON_PATHS) app.get(path, favicon);
  platformRoutes(app, web);
  accountRoutes(app, web);
  wikisRoutes(app, web);
  signUpRoutes(app, web);
  adminRoutes(app, web);
  app.use('/w/:slug/*', wikiGate(web));
  historyRoutes(app, web);
  listRoutes(app, web);
  attachmentRoutes(app, web);
  settingsRoutes(app, web);
  pageRoutes(app, web);
  app.onError((error, c) => webErrorResponse(web, error, c));
  return app;
}
