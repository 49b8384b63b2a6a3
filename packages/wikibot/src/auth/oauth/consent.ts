import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { SCOPES } from '../../platform/tokens.js';
import { OPENID_SCOPES } from './routes.js';

/** What an authorization request asks of the user: wiki scopes per resource, and OpenID scopes. */
export interface ConsentRequest {
  clientId: string;
  accountId: string;
  /** Resource indicator → the wiki scopes requested for it, in request order. */
  resources: Map<string, string[]>;
  openidScopes: string[];
}

export function consentRequest(interaction: Interaction): ConsentRequest {
  const params = interaction.params as { scope?: string; resource?: string | string[]; client_id: string };
  const requested = (params.scope ?? '').split(' ').filter(Boolean);
  const wikiScopes = requested.filter((s) => (SCOPES as readonly string[]).includes(s));
  const indicators =
    params.resource === undefined ? [] : Array.isArray(params.resource) ? params.resource : [params.resource];
  return {
    clientId: params.client_id,
    accountId: interaction.session?.accountId ?? '',
    resources: new Map(indicators.map((r) => [r, wikiScopes])),
    openidScopes: requested.filter((s) => OPENID_SCOPES.includes(s)),
  };
}

/**
 * Record the user's answer as a new grant: for each resource exactly the scopes they ticked (the
 * rest marked as declined, so the token gets fewer), plus the requested OpenID scopes and claims.
 * What they granted earlier for other resources is carried over. A new grant rather than an edit of
 * the old one, so a scope declined before can be granted now (step-up). Resolves to the grant id.
 */
export async function recordConsent(
  provider: Provider,
  interaction: Interaction,
  request: ConsentRequest,
  chosen: Map<string, Set<string>>,
): Promise<string> {
  const grant = new provider.Grant({ accountId: request.accountId, clientId: request.clientId });
  const previous = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  if (previous && previous.accountId === request.accountId && previous.clientId === request.clientId) {
    const earlierScope = previous.getOIDCScope();
    if (earlierScope) grant.addOIDCScope(earlierScope);
    const earlierClaims = previous.getOIDCClaims();
    if (earlierClaims.length) grant.addOIDCClaims(earlierClaims);
    for (const resource of Object.keys(previous.resources ?? {})) {
      const scope = previous.getResourceScope(resource);
      if (!request.resources.has(resource) && scope) grant.addResourceScope(resource, scope);
    }
  }
  if (request.openidScopes.length) grant.addOIDCScope(request.openidScopes);
  const missingClaims = (interaction.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
  if (missingClaims.length) grant.addOIDCClaims(missingClaims);
  for (const [resource, requested] of request.resources) {
    const granted = requested.filter((s) => chosen.get(resource)?.has(s));
    const declined = requested.filter((s) => !granted.includes(s));
    if (granted.length) grant.addResourceScope(resource, granted);
    if (declined.length) grant.rejectResourceScope(resource, declined);
  }
  return grant.save();
}
