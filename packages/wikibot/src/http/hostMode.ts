import type { Config } from '../config.js';
import { wikiDomain, wikiHostLabel, wikiHostOrigin } from '../platform/wikiHosts.js';
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
  /** The domain wiki hosts are under; null in path mode. */
  wikiDomain(): string | null;
  /**
   * The URL of wiki `slug` as a request addressed it: its host's origin for a request `route` mapped
   * from that host, else `<base URL>/w/<slug>`. OAuth resource URLs follow it, so a client meets the
   * resource it asked for.
   */
  addressedWikiUrl(request: Request, slug: string): string;
  /**
   * The response as a wiki's host sends it: a redirect into the wiki's `/w/<slug>` paths (relative
   * or on the base URL) points at the host's own form (`/<page>`). Other hosts' responses are unchanged.
   */
  onHost(host: string, response: Response): Response;
}

/** Requests `route` mapped from a wiki's host, and that wiki. */
const fromWikiHost = new WeakMap<Request, string>();

/** The RFC 9728 metadata of a wiki's doors, path-aware form: served on the wiki's host as well. */
const RESOURCE_METADATA = /^\/\.well-known\/oauth-protected-resource(\/mcp|\/api\/v1)?$/;

export function wikiPlacement(config: Config, baseUrl: () => string): WikiPlacement {
  const pathUrl = (slug: string) => `${baseUrl()}/w/${slug}`;
  if (!config.http.wiki_host_mode) {
    return {
      wikiUrl: pathUrl,
      gitUrl: (slug) => `${pathUrl(slug)}.git`,
      route: (request) => request,
      isWikiHost: () => false,
      wikiDomain: () => null,
      addressedWikiUrl: (_request, slug) => pathUrl(slug),
      onHost: (_host, response) => response,
    };
  }
  const domain = () => wikiDomain(config, baseUrl()) as string;
  const origin = (slug: string) => wikiHostOrigin(baseUrl(), domain(), slug);
  return {
    wikiUrl: origin,
    gitUrl: (slug) => `${origin(slug)}/.git`,
    isWikiHost: (hostname) => wikiHostLabel(hostname, domain()) !== null,
    wikiDomain: domain,
    addressedWikiUrl: (request, slug) => (fromWikiHost.get(request) === slug ? origin(slug) : pathUrl(slug)),
    onHost(host, response) {
      const location = response.headers.get('location');
      const slug = wikiHostLabel(URL.parse(`http://${host}`)?.hostname ?? '', domain());
      if (location === null || slug === null) return response;
      const local = hostLocation(location, pathUrl(slug));
      if (local === location) return response;
      const mapped = new Response(response.body, response);
      mapped.headers.set('location', local);
      return mapped;
    },
    route(request, host) {
      const url = new URL(request.url);
      const slug = wikiHostLabel(URL.parse(`http://${host}`)?.hostname ?? '', domain());
      if (slug === null) return request;
      if (!SLUG_PATTERN.test(slug)) return null;
      const metadata = RESOURCE_METADATA.exec(url.pathname);
      if (metadata) url.pathname = `/.well-known/oauth-protected-resource/w/${slug}${metadata[1] ?? ''}`;
      else if (keepsPath(url.pathname, slug)) return request;
      else
        url.pathname =
          url.pathname === '/.git' || url.pathname.startsWith('/.git/')
            ? `/w/${slug}.git${url.pathname.slice('/.git'.length)}`
            : `/w/${slug}${url.pathname}`;
      const routed = new Request(url, request);
      fromWikiHost.set(routed, slug);
      return routed;
    },
  };
}

/** `location` with a leading `<wiki>` (`<base URL>/w/<slug>`) or its path made relative to the wiki's host. */
function hostLocation(location: string, wiki: string): string {
  const path = new URL(wiki).pathname;
  for (const prefix of [wiki, path]) {
    if (!location.startsWith(prefix)) continue;
    const rest = location.slice(prefix.length);
    if (rest === '' || /^[?#]/.test(rest)) return `/${rest}`;
    if (rest.startsWith('/')) return rest;
  }
  return location;
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
