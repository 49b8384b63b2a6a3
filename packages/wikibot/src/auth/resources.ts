import { SCOPES } from '../platform/tokens.js';
import { SLUG_PATTERN } from '../platform/wikis.js';

/**
 * Each wiki is one OAuth protected resource (RFC 8707, RFC 9728), reachable at a few URLs: the wiki
 * itself, its MCP endpoint and its REST API. A token whose audience is any of them is good for every
 * door of that wiki and for no other wiki.
 */
const DOORS = ['', '/mcp', '/api/v1'] as const;

/** The canonical resource URL of a wiki. */
export function wikiResourceUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/w/${slug}`;
}

/** Every audience value a token for this wiki may carry. */
export function wikiAudiences(baseUrl: string, slug: string): string[] {
  return DOORS.map((door) => `${wikiResourceUrl(baseUrl, slug)}${door}`);
}

/** The wiki a resource indicator names, or null when it names none of this server's wikis. */
export function wikiOfResource(baseUrl: string, resource: string): string | null {
  const prefix = `${baseUrl}/w/`;
  if (!resource.startsWith(prefix)) return null;
  const rest = resource.slice(prefix.length);
  const slash = rest.indexOf('/');
  const slug = slash === -1 ? rest : rest.slice(0, slash);
  const door = slash === -1 ? '' : rest.slice(slash);
  return SLUG_PATTERN.test(slug) && (DOORS as readonly string[]).includes(door) ? slug : null;
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
