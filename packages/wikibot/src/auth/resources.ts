import { SCOPES } from '../platform/tokens.js';
import { wikiHostLabel, wikiHostOrigin } from '../platform/wikiHosts.js';
import { SLUG_PATTERN } from '../platform/wikis.js';

/**
 * Each wiki is one OAuth protected resource (RFC 8707, RFC 9728), reachable at a few URLs: the wiki
 * itself, its MCP endpoint and its REST API, under `<base URL>/w/<slug>` and, in host mode, under
 * the wiki's own host too. A token whose audience is any of them is good for every door of that wiki
 * and for no other wiki.
 */
const DOORS = ['', '/mcp', '/api/v1'] as const;

/** Where a server's wikis are: its base URL and, in host mode, the domain of the wikis' hosts. */
export interface WikiSite {
  baseUrl: string;
  wikiDomain?: string | null;
}

/** The roots a wiki's resource URLs are under. */
function wikiRoots(site: WikiSite, slug: string): string[] {
  const path = `${site.baseUrl}/w/${slug}`;
  return site.wikiDomain ? [path, wikiHostOrigin(site.baseUrl, site.wikiDomain, slug)] : [path];
}

/** Every audience value a token for this wiki may carry. */
export function wikiAudiences(site: WikiSite, slug: string): string[] {
  return wikiRoots(site, slug).flatMap((root) => DOORS.map((door) => `${root}${door}`));
}

/** The wiki a resource indicator names, or null when it names none of this server's wikis. */
export function wikiOfResource(site: WikiSite, resource: string): string | null {
  const prefix = `${site.baseUrl}/w/`;
  const slug = resource.startsWith(prefix)
    ? resource.slice(prefix.length).split('/')[0]
    : site.wikiDomain
      ? wikiHostLabel(URL.parse(resource)?.hostname ?? '', site.wikiDomain)
      : null;
  return slug && SLUG_PATTERN.test(slug) && wikiAudiences(site, slug).includes(resource) ? slug : null;
}

/** RFC 9728 metadata of a resource, naming the authorization servers that issue tokens for it. */
export function protectedResourceMetadata(
  resource: string,
  authorizationServers: string[],
  wikiTitle?: string,
) {
  return {
    resource,
    authorization_servers: authorizationServers,
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ['header'],
    ...(wikiTitle ? { resource_name: `${wikiTitle} (wikibot)` } : {}),
  };
}
