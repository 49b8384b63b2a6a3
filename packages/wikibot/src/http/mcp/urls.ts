/** The MCP endpoint of a wiki: the OAuth protected resource its tokens are for (RFC 8707, RFC 9728). */
export function mcpResourceUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/w/${slug}/mcp`;
}
