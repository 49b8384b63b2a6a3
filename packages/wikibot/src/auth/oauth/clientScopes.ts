import type { Fetch } from '../outboundFetch.js';
import { OPENID_SCOPES } from './routes.js';

/**
 * Client metadata (a registration request, RFC 7591, or a Client ID Metadata Document) may list the
 * scopes the client will ask for. Wiki scopes are granted per request by the user, so they are
 * dropped: a registered list would otherwise make the server refuse the client's later request for
 * more (the step-up after a 403), and oidc-provider refuses metadata naming scopes it does not know.
 */
export function withoutWikiScopes(metadata: unknown): unknown {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return metadata;
  const record = { ...(metadata as Record<string, unknown>) };
  if (typeof record.scope !== 'string') return record;
  const kept = record.scope.split(' ').filter((s) => OPENID_SCOPES.includes(s));
  if (kept.length) record.scope = kept.join(' ');
  else delete record.scope;
  return record;
}

/** A fetch for Client ID Metadata Documents that applies {@link withoutWikiScopes} to JSON answers. */
export function clientMetadataFetch(fetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    const text = await response.text();
    let body: string;
    try {
      body = JSON.stringify(withoutWikiScopes(JSON.parse(text)));
    } catch {
      body = text;
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(body, { status: response.status, headers });
  };
}
