import type { Context } from 'hono';
import type { Access } from '../../auth/principal.js';
import type { WikiRecord } from '../../platform/wikis.js';
import type { AppDeps, RequestVars } from '../context.js';
import type { ClientAssets } from './assets.js';
import type { WebAccess } from './chrome.js';
import type { PageResponses } from './page-responses.js';
import type { SidebarCache } from './sidebar.js';

/** The parts of the web door that live as long as the app. */
export interface WebDeps extends AppDeps {
  assets: ClientAssets;
  sidebars: SidebarCache;
  pageResponses: PageResponses;
}

/** The wiki a web request is about, and what the caller may do there. */
export interface WikiRequest {
  record: WikiRecord;
  can: WebAccess;
  /** Why each kind of access is refused (null: allowed). */
  reasons: Record<Access, string | null>;
}

export type WebEnv = { Variables: RequestVars & { webWiki: WikiRequest } };
export type WebContext = Context<WebEnv>;
