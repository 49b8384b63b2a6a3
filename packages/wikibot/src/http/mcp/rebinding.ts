import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  originValidationResponse,
} from '@modelcontextprotocol/server';

/**
 * DNS-rebinding protection: a request is served only when its `Host` (and `Origin`, when a browser
 * sends one) names this server — the host of its public base URL (or in host mode the wiki's), or localhost. Anything else is
 * refused with 403 before authentication.
 */
export function rebindingRefusal(
  request: Request,
  baseUrl: string,
  isWikiHost: (hostname: string) => boolean,
): Response | undefined {
  const allowed = allowedHostnames(baseUrl);
  // In host mode, the wiki's own host too (http/hostMode.ts).
  const asked = URL.parse(`http://${request.headers.get('host') ?? ''}`)?.hostname;
  if (asked && isWikiHost(asked)) allowed.push(asked);
  return hostHeaderValidationResponse(request, allowed) ?? originValidationResponse(request, allowed);
}

function allowedHostnames(baseUrl: string): string[] {
  return [new URL(baseUrl).hostname, ...localhostAllowedHostnames()];
}
