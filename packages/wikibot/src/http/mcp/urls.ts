import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';

/** The MCP endpoint of a wiki: the OAuth protected resource its tokens are for (RFC 8707, RFC 9728). */
export function mcpResourceUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/w/${slug}/mcp`;
}

/** Where the RFC 9728 metadata of a wiki's MCP endpoint is served (the path-aware well-known form). */
export function mcpResourceMetadataUrl(baseUrl: string, slug: string): string {
  return getOAuthProtectedResourceMetadataUrl(new URL(mcpResourceUrl(baseUrl, slug)));
}
