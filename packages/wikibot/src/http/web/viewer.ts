import { getCookie } from 'hono/cookie';
import type { Wiki } from '../../wiki/wiki.js';
import type { Chrome, Theme } from './chrome.js';
import type { WebContext, WebDeps } from './env.js';
import { takeFlash } from './flash.js';
import { rawPath } from './request.js';

export const THEME_COOKIE = 'wikibot_theme';

export function themeOf(c: WebContext): Theme | null {
  const value = getCookie(c, THEME_COOKIE);
  return value === 'light' || value === 'dark' ? value : null;
}

/** This request's path and query, for links that come back here. */
export function hereOf(c: WebContext): string {
  const url = new URL(c.req.url);
  return rawPath(c) + url.search;
}

/** The page frame for a platform page (outside any wiki). */
export function platformChrome(c: WebContext, deps: WebDeps): Chrome {
  return {
    here: hereOf(c),
    ...sessionViewer(c),
    theme: themeOf(c),
    assets: deps.assets.urls,
    wiki: null,
    sidebar: null,
    flash: takeFlash(c),
  };
}

/** The page frame for a page of the wiki this request is about, without its sidebar. */
export function wikiFrame(c: WebContext, deps: WebDeps): Chrome {
  const { record, can } = c.get('access');
  return {
    ...platformChrome(c, deps),
    wiki: { slug: record.slug, title: record.title, isPublic: record.isPublic, can },
  };
}

/** The page frame for a page of the wiki this request is about; `current` marks the sidebar. */
export async function wikiChrome(
  c: WebContext,
  deps: WebDeps,
  options: { sidebar?: boolean; current?: string | null } = {},
): Promise<Chrome> {
  return withSidebar(wikiFrame(c, deps), deps, c.get('wiki'), options);
}

/** `frame` with the wiki's sidebar (unless `sidebar` is false), `current` marked in it. */
export async function withSidebar(
  frame: Chrome,
  deps: WebDeps,
  wiki: Wiki,
  options: { sidebar?: boolean; current?: string | null } = {},
): Promise<Chrome> {
  if (options.sidebar === false) return frame;
  return { ...frame, sidebar: (await deps.sidebars.sidebar(wiki)).html(options.current ?? null) };
}

/**
 * The signed-in user and the CSRF token of their forms (the session's, as `csrfField` gives it).
 * Requests authenticated by an Authorization header need no token: nothing ambient to forge.
 */
function sessionViewer(c: WebContext): Pick<Chrome, 'user' | 'csrf'> {
  const session = c.get('session');
  if (!session) return { user: null, csrf: null };
  return { user: { username: session.username }, csrf: session.csrfToken };
}
