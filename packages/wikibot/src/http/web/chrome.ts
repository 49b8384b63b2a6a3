import type { AssetUrls } from './assets.js';
import type { Flash } from './flash.js';
import type { TreeView } from './tree.js';

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
  sidebar: TreeView | null;
  /** The message left by the previous action (shown once). */
  flash: Flash | null;
}
