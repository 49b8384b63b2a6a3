import type { AssetUrls } from './assets.js';
import type { Flash } from './flash.js';

/** What a principal may do on the wiki being shown; drives which links and forms a page offers. */
export interface WebAccess {
  read: boolean;
  write: boolean;
  admin: boolean;
}

export type Theme = 'light' | 'dark';

/** Everything the page frame needs besides the page's own content. */
export interface Chrome {
  /** This request's path and query, for "come back here" links (login, theme). */
  here: string;
  user: { username: string } | null;
  /** The CSRF token every form posts as `_csrf` (null when the request has no session). */
  csrf: string | null;
  theme: Theme | null;
  assets: AssetUrls;
  wiki: { slug: string; title: string; isPublic: boolean; can: WebAccess } | null;
  /** The sidebar's HTML (the page tree, the current page marked), or null for pages without one. */
  sidebar: string | null;
  /** The message left by the previous action (shown once). */
  flash: Flash | null;
}
