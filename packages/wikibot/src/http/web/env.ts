import type { Context } from 'hono';
import type { WikiAccess } from '../auth.js';
import type { AppDeps, RequestVars } from '../context.js';
import type { ClientAssets } from './assets.js';
import type { PageResponses } from './page-responses.js';
import type { SidebarCache } from './sidebar.js';

/** The parts of the web door that live as long as the app. */
export interface WebDeps extends AppDeps {
  assets: ClientAssets;
  sidebars: SidebarCache;
  pageResponses: PageResponses;
}

/** The web's wiki routes run behind its gate, so what the caller may do there is always resolved. */
export type WebEnv = { Variables: RequestVars & { access: WikiAccess } };
export type WebContext = Context<WebEnv>;
