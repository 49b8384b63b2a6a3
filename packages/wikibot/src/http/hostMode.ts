import type { Config } from '../config.js';
import { SLUG_PATTERN } from '../platform/wikis.js';
import { FAVICON_PATHS } from './web/favicon.js';

/**
 * Where a deployment serves its wikis (SPEC §8): path mode `/w/<slug>/…` and `/w/<slug>.git`
 * (default), or host mode `<slug>.<domain>/…` and `<slug>.<domain>/.git` (`http.wiki_host_mode`).
 * Host mode maps each request for a wiki's host onto the path-mode route it stands for, so every
 * door serves it unchanged; the platform (sign-in, OAuth, the start page) stays on the base URL.
 */
export interface WikiPlacement {
  /** The absolute URL of a wiki: its pages, `/api/v1` and `/mcp` are under it. */
  wikiUrl(slug: string): string;
  /** The URL `git clone` takes. */
  gitUrl(slug: string): string;
  /**
   * The path-mode request a request for `host` (Host, or X-Forwarded-Host from a trusted proxy)
   * stands for: itself in path mode or for the platform's host; null for a host under the wiki
   * domain that cannot name a wiki.
   */
  route(request: Request, host: string): Request | null;
  /** Whether `hostname` is one this deployment answers for besides the base URL's (a wiki's host). */
  isWikiHost(hostname: string): boolean;
}

export function wikiPlacement(config: Config, baseUrl: () => string): WikiPlacement {
  if (!config.http.wiki_host_mode) {
    return {
      wikiUrl: (slug) => `${baseUrl()}/w/${slug}`,
      gitUrl: (slug) => `${baseUrl()}/w/${slug}.git`,
      route: (request) => request,
      isWikiHost: () => false,
    };
  }
  const domain = (config.http.wiki_domain ?? new URL(baseUrl()).hostname).toLowerCase();
  const suffix = `.${domain}`;
  /** The label a wiki host has under the domain (whether it names a wiki is for the doors to say). */
  const slugOf = (hostname: string): string | null => {
    const name = hostname.toLowerCase();
    if (!name.endsWith(suffix)) return null;
    const label = name.slice(0, -suffix.length);
    return label.includes('.') ? null : label;
  };
  const origin = (slug: string) => {
    const base = new URL(baseUrl());
    return `${base.protocol}//${slug}${suffix}${base.port ? `:${base.port}` : ''}`;
  };
  return {
    wikiUrl: origin,
    gitUrl: (slug) => `${origin(slug)}/.git`,
    isWikiHost: (hostname) => slugOf(hostname) !== null,
    route(request, host) {
      const url = new URL(request.url);
      const slug = slugOf(URL.parse(`http://${host}`)?.hostname ?? '');
      if (slug === null) return request;
      if (!SLUG_PATTERN.test(slug)) return null;
      if (keepsPath(url.pathname, slug)) return request;
      url.pathname =
        url.pathname === '/.git' || url.pathname.startsWith('/.git/')
          ? `/w/${slug}.git${url.pathname.slice('/.git'.length)}`
          : `/w/${slug}${url.pathname}`;
      return new Request(url, request);
    },
  };
}

/** The platform's own pages and files, served on every host (sign-in, OAuth, the client bundle). */
const PLATFORM_PATH = /^\/(-\/(assets|login|logout|account|theme|oauth)(\/|$)|\.well-known\/)/;

/** Paths a wiki's host serves as they are: the platform's, and the wiki's own path-mode links. */
function keepsPath(path: string, slug: string): boolean {
  return (
    PLATFORM_PATH.test(path) ||
    (FAVICON_PATHS as readonly string[]).includes(path) ||
    path === `/w/${slug}` ||
    path.startsWith(`/w/${slug}/`) ||
    path.startsWith(`/w/${slug}.git/`)
  );
}
