import { type Context, Hono } from 'hono';
import type { Interaction, InteractionResults, default as Provider } from 'oidc-provider';
import { type ConsentRequest, consentRequest, recordConsent } from '../../auth/oauth/consent.js';
import { INTERACTION_PATH } from '../../auth/oauth/routes.js';
import { type Access, ROLE_ALLOWS } from '../../auth/principal.js';
import { wikiOfResource } from '../../auth/resources.js';
import type { Role } from '../../platform/members.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readForm } from '../form.js';
import { csrfField, csrfProtect } from '../session.js';
import { CapturedResponse, toNodeRequest } from './bridge.js';
import { type ConsentResource, consentPage, messagePage } from './pages.js';

type C = Context<AppEnv>;

const SCOPE_LABELS: Record<string, { label: string; access: Access }> = {
  'wiki:read': { label: 'Read pages, history and attachments', access: 'read' },
  'wiki:write': { label: 'Create, change, rename and delete pages and attachments', access: 'write' },
  'wiki:admin': { label: 'Manage the wiki (settings, members, tokens)', access: 'admin' },
};

/**
 * Where the authorization server sends the browser to sign in and to consent. Signing in is
 * wikibot's own login page; consent names the client, the wiki and the scopes, any of which the
 * user may untick. Every answer goes back to the provider, which redirects to the client.
 */
export function interactionRoutes(deps: AppDeps, provider: () => Promise<Provider>): Hono<AppEnv> {
  const router = new Hono<AppEnv>();

  router.get(`${INTERACTION_PATH}/:uid`, async (c) => {
    const interaction = await details(c, deps, provider);
    if (interaction instanceof Response) return interaction;
    const signedIn = c.get('session');
    if (!signedIn)
      return c.redirect(`/-/login?next=${encodeURIComponent(`${INTERACTION_PATH}/${interaction.uid}`)}`, 303);
    if (interaction.prompt.name === 'login') {
      return finish(c, deps, provider, { login: { accountId: signedIn.userId } });
    }
    if (interaction.session?.accountId !== signedIn.userId) {
      return c.html(
        messagePage('Account changed', 'You signed in as someone else meanwhile. Start again from your app.'),
        400,
      );
    }
    return c.html(consentPage(await consentView(c, deps, provider, interaction)));
  });

  router.post(`${INTERACTION_PATH}/:uid`, csrfProtect(), async (c) => {
    const interaction = await details(c, deps, provider);
    if (interaction instanceof Response) return interaction;
    const signedIn = c.get('session');
    if (
      !signedIn ||
      interaction.prompt.name !== 'consent' ||
      interaction.session?.accountId !== signedIn.userId
    ) {
      return c.html(
        messagePage('Cannot continue', 'This approval does not belong to the signed-in account.'),
        400,
      );
    }
    const form = await readForm(c);
    const request = consentRequest(interaction);
    if (form.decision !== 'allow') {
      logConsent(deps, request, false, 'declined by the user');
      return finish(c, deps, provider, {
        error: 'access_denied',
        error_description: 'The user declined the request',
      });
    }
    const chosen = chosenScopes(request, form.scope);
    const grantId = await recordConsent(await provider(), interaction, request, chosen);
    logConsent(deps, request, true, `granted ${describe(chosen)}`);
    return finish(c, deps, provider, { consent: { grantId } });
  });
  return router;
}

/** The pending interaction of this browser, or an error page when it is gone or belongs elsewhere. */
async function details(
  c: C,
  deps: AppDeps,
  provider: () => Promise<Provider>,
): Promise<Interaction | Response> {
  const req = await toNodeRequest(c, deps.baseUrl(), Buffer.alloc(0));
  const { errors } = await import('oidc-provider'); // loaded with the provider
  try {
    const interaction = await (await provider()).interactionDetails(req, new CapturedResponse(req));
    if (interaction.uid !== c.req.param('uid')) throw new errors.SessionNotFound('interaction mismatch');
    return interaction;
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
    return c.html(
      messagePage(
        'This sign-in request has expired',
        'Go back to the app you were connecting and start again.',
      ),
      400,
    );
  }
}

/** Hand the answer to the provider and follow its redirect (back to the authorization endpoint). */
async function finish(
  c: C,
  deps: AppDeps,
  provider: () => Promise<Provider>,
  result: InteractionResults,
): Promise<Response> {
  const req = await toNodeRequest(c, deps.baseUrl(), Buffer.alloc(0));
  const returnTo = await (await provider()).interactionResult(req, new CapturedResponse(req), result, {
    mergeWithLastSubmission: true,
  });
  return c.redirect(returnTo, 303);
}

async function consentView(c: C, deps: AppDeps, provider: () => Promise<Provider>, interaction: Interaction) {
  const request = consentRequest(interaction);
  const client = await (await provider()).Client.find(request.clientId);
  const redirect = URL.parse(String(interaction.params.redirect_uri ?? ''));
  const userId = interaction.session?.accountId ?? '';
  const user = await deps.auth.users.get(userId);
  const resources: ConsentResource[] = [];
  let index = 0;
  for (const [resource, scopes] of request.resources) {
    const slug = wikiOfResource(
      { baseUrl: deps.baseUrl(), wikiDomain: deps.placement.wikiDomain() },
      resource,
    );
    const record = slug ? await deps.registry.get(slug) : undefined;
    const role: Role | null =
      !record || !user ? null : user.isAdmin ? 'owner' : await deps.auth.members.roleOf(record.slug, user.id);
    resources.push({
      index: index++,
      resource,
      wiki: record ? { slug: record.slug, title: record.title } : null,
      role: user?.isAdmin ? 'owner (platform admin)' : role,
      scopes: scopes.map((scope) => {
        const access = SCOPE_LABELS[scope]?.access;
        const byRole = access !== undefined && role !== null && ROLE_ALLOWS[role].has(access);
        const byPublic = access === 'read' && !!record?.isPublic;
        return { scope, label: SCOPE_LABELS[scope]?.label ?? scope, allowedByRole: byRole || byPublic };
      }),
    });
  }
  return {
    action: `${INTERACTION_PATH}/${interaction.uid}`,
    csrf: csrfField(c),
    username: user?.username ?? '?',
    client: { id: request.clientId, name: client?.clientName ?? null, redirectHost: redirect?.host ?? '?' },
    resources,
    openidScopes: request.openidScopes,
  };
}

/** The ticked checkboxes (`"<resource index> <scope>"`) as scopes per resource. */
function chosenScopes(request: ConsentRequest, field: unknown): Map<string, Set<string>> {
  const values = (Array.isArray(field) ? field : [field]).filter((v): v is string => typeof v === 'string');
  const resources = [...request.resources.keys()];
  const chosen = new Map<string, Set<string>>();
  for (const value of values) {
    const [index, scope] = value.split(' ');
    const resource = resources[Number(index)];
    if (resource === undefined || !scope) continue;
    if (!chosen.has(resource)) chosen.set(resource, new Set());
    chosen.get(resource)?.add(scope);
  }
  return chosen;
}

function describe(chosen: Map<string, Set<string>>): string {
  const parts = [...chosen].map(([resource, scopes]) => `${[...scopes].join(' ')} on ${resource}`);
  return parts.length ? parts.join('; ') : 'no wiki scopes';
}

function logConsent(deps: AppDeps, request: ConsentRequest, allowed: boolean, reason: string): void {
  deps.logger.info(
    {
      event: 'auth',
      subject: `user:${request.accountId}`,
      client: request.clientId,
      route: `POST ${INTERACTION_PATH}/:uid`,
      resources: [...request.resources.keys()],
      scopes: [...new Set([...request.resources.values()].flat())],
      allowed,
      reason,
    },
    'auth decision',
  );
}
