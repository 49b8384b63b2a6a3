import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { SESSION_COOKIE, type SessionStore } from '../sessions.js';

const { Check, base } = interactionPolicy;
const missingScopes = Symbol('missing resource scopes');

type WithMissing = KoaContextWithOIDC & { [missingScopes]?: Record<string, string[]> };
const missingOf = (ctx: KoaContextWithOIDC) => ctx as WithMissing;

/**
 * oidc-provider's default login and consent prompts, with two changes:
 * - login is asked for unless the browser carries a wikibot session of the same account, so signing
 *   out of wikibot also ends silent authorization;
 * - consent is asked again for a scope the user declined before when a client asks for it again (the
 *   step-up after a 403 `insufficient_scope`), but not in a loop right after the user answered.
 */
export function wikiConsentPolicy(sessions: SessionStore): interactionPolicy.DefaultPolicy {
  const policy = base();

  policy.get('login')?.checks.add(
    new Check('wikibot_session', 'End-User must be signed in to wikibot as the same account', async (ctx) => {
      const cookie = ctx.cookies.get(SESSION_COOKIE);
      const session = cookie ? await sessions.find(cookie) : null;
      return session !== null && session.userId === ctx.oidc.session?.accountId
        ? Check.NO_NEED_TO_PROMPT
        : Check.REQUEST_PROMPT;
    }),
  );

  const consent = policy.get('consent');
  consent?.checks.remove('rs_scopes_missing');
  consent?.checks.add(
    new Check(
      'rs_scopes_missing',
      'requested scopes not granted',
      (ctx) => {
        const justAnswered = ctx.oidc.result?.consent !== undefined;
        let missing: Record<string, string[]> | undefined;
        for (const [resource, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
          const granted = new Set(
            (justAnswered
              ? ctx.oidc.grant?.getResourceScopeEncountered(resource)
              : ctx.oidc.grant?.getResourceScope(resource)
            )?.split(' '),
          );
          for (const scope of ctx.oidc.requestParamScopes) {
            if (server.scopes.has(scope) && !granted.has(scope)) {
              missing ??= {};
              missing[resource] = [...(missing[resource] ?? []), scope];
            }
          }
        }
        if (!missing) return Check.NO_NEED_TO_PROMPT;
        missingOf(ctx)[missingScopes] = missing;
        return Check.REQUEST_PROMPT;
      },
      (ctx) => ({ missingResourceScopes: missingOf(ctx)[missingScopes] }),
    ),
  );
  return policy;
}
