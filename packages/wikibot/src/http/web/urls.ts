/** Every URL the web UI links to, built in one place. Page paths are encoded segment by segment. */

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function wikiHome(slug: string): string {
  return `/w/${slug}/`;
}

/** A page; `Home` is the wiki's front page. */
export function pageUrl(slug: string, path: string): string {
  return `/w/${slug}/${encodePath(path)}`;
}

/** An old version of a page. */
export function pageAtUrl(slug: string, path: string, revision: string): string {
  return `${pageUrl(slug, path)}?revision=${revision}`;
}

/** An attachment as pages link to it: next to the page, in its folder. */
export function attachmentUrl(slug: string, page: string, filename: string): string {
  return `${pageUrl(slug, page)}/${encodeURIComponent(filename)}`;
}

/** The base relative attachment links of a page resolve against. */
export function attachmentBase(slug: string, page: string): string {
  return `${pageUrl(slug, page)}/`;
}

export type PageAction =
  | 'edit'
  | 'history'
  | 'compare'
  | 'blame'
  | 'rename'
  | 'delete'
  | 'attachments'
  | 'preview';

/** A system page about one page: `/w/<slug>/-/<action>/<path>`. */
export function pageActionUrl(slug: string, action: PageAction, path: string): string {
  return `/w/${slug}/-/${action}/${encodePath(path)}`;
}

export function compareUrl(slug: string, path: string, from: string, to: string): string {
  return `${pageActionUrl(slug, 'compare', path)}?from=${from}&to=${to}`;
}

export function uploadUrl(slug: string, path: string): string {
  return `/w/${slug}/-/attachments?page=${encodeURIComponent(path)}`;
}

export function commitUrl(slug: string, revision: string): string {
  return `/w/${slug}/-/commit/${revision}`;
}

export function revertUrl(slug: string, revision: string): string {
  return `/w/${slug}/-/revert/${revision}`;
}

export type WikiPage =
  | 'create'
  | 'changelog'
  | 'changelog.rss'
  | 'changelog.atom'
  | 'index'
  | 'search'
  | 'settings';

/** A system page of the wiki: `/w/<slug>/-/<name>`. */
export function wikiPageUrl(slug: string, name: WikiPage, query?: Record<string, string>): string {
  const search = query
    ? `?${Object.entries(query)
        .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
        .join('&')}`
    : '';
  return `/w/${slug}/-/${name}${search}`;
}

export const PLATFORM = {
  home: '/',
  account: '/-/account',
  wikis: '/-/wikis',
  admin: '/-/admin',
  signup: '/-/signup',
  invite: (token: string) => `/-/invites/${encodeURIComponent(token)}`,
  login: (next: string) => `/-/login?next=${encodeURIComponent(next)}`,
  logout: '/-/logout',
  theme: (set: 'light' | 'dark', next: string) => `/-/theme?set=${set}&next=${encodeURIComponent(next)}`,
} as const;
