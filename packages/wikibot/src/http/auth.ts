import type { Context, MiddlewareHandler } from 'hono';
import { credentialFromHeader } from '../auth/authenticate.js';
import { type Access, ANONYMOUS, authorize, SCOPE_FOR } from '../auth/principal.js';
import { NotFound } from '../wiki/errors.js';
import type { AppDeps, AppEnv } from './context.js';

/**
 * Resolve the caller once per request from the Authorization header. A credential that is present
 * but not genuine (or, for an access token, not meant for this wiki) is refused at once with 401.
 */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = credentialFromHeader(c.req.header('authorization'));
    if (credential === null) {
      c.set('principal', ANONYMOUS);
      return next();
    }
    const result = await deps.authenticator.fromBearer(credential, {
      ...(c.get('wiki') ? { wiki: c.get('wiki').slug } : {}),
      baseUrl: deps.baseUrl(),
    });
    if ('refused' in result) {
      logDecision(deps, c, { subject: 'unknown', allowed: false, reason: result.refused });
      return unauthorized(deps, c, 'read', { error: 'invalid_token', description: result.refused });
    }
    c.set('principal', result);
    c.get('log').subject = result.subject;
    return next();
  };
}

/**
 * Allow the request only if the caller may use this wiki this way (role on the wiki ∩ the
 * credential's scopes; anyone may read a public wiki); log the decision either way.
 * Refusals: 401 without a credential, 403 `insufficient_scope` when a wider token would help, else 403.
 */
export function requireAccess(deps: AppDeps, access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const reason = await accessDecision(deps, c, c.get('wiki').slug, access);
    if (reason === null) return next();
    if (principal === ANONYMOUS) return unauthorized(deps, c, access);
    if (!principal.scopes.has(SCOPE_FOR[access])) {
      c.header(
        'WWW-Authenticate',
        `Bearer error="insufficient_scope", scope="${SCOPE_FOR[access]}", resource_metadata="${resourceMetadataUrl(deps, c)}"`,
      );
    }
    return c.json({ error: `Forbidden: ${reason}` }, 403);
  };
}

/**
 * The one authorization of a request: may its principal use wiki `slug` this way? Null when it may,
 * else the reason; logged either way. A `NotFound` when there is no such wiki.
 */
export async function accessDecision(
  deps: AppDeps,
  c: Context<AppEnv>,
  slug: string,
  access: Access,
): Promise<string | null> {
  const principal = c.get('principal');
  const record = await deps.registry.get(slug);
  if (!record) throw new NotFound(`Wiki not found: ${slug}`);
  const reason = await authorize(principal, record, access);
  logDecision(deps, c, {
    subject: principal.subject,
    allowed: reason === null,
    reason: reason ?? 'ok',
    access,
  });
  return reason;
}

function unauthorized(
  deps: AppDeps,
  c: Context<AppEnv>,
  access: Access,
  problem?: { error: string; description: string },
) {
  const parts = [
    ...(problem
      ? [`error="${problem.error}"`, `error_description="${headerSafe(problem.description)}"`]
      : []),
    `resource_metadata="${resourceMetadataUrl(deps, c)}"`,
    `scope="${SCOPE_FOR[access]}"`,
  ];
  c.header('WWW-Authenticate', `Bearer ${parts.join(', ')}`);
  return c.json(
    { error: problem ? `Invalid credential: ${problem.description}` : 'Authentication required' },
    401,
  );
}

/** Text fit for a quoted header parameter: no quotes, backslashes or control characters; at most 200 characters. */
function headerSafe(text: string): string {
  return text.replace(/[\p{Cc}"\\]/gu, ' ').slice(0, 200);
}

/** RFC 9728 metadata URL for the resource this request addresses (a wiki's API or MCP endpoint, or the wiki). */
export function resourceMetadataUrl(deps: AppDeps, c: Context<AppEnv>): string {
  const path = new URL(c.req.url).pathname;
  const match = /^\/w\/[^/]+(\/api\/v1|\/mcp)?/.exec(path);
  return `${deps.baseUrl()}/.well-known/oauth-protected-resource${match ? match[0] : ''}`;
}

export function logDecision(
  deps: AppDeps,
  c: Context<AppEnv>,
  decision: { subject: string; allowed: boolean; reason: string; access?: Access },
): void {
  const principal = c.get('principal');
  deps.logger.info(
    {
      event: 'auth',
      subject: decision.subject,
      client: principal?.client,
      wiki: c.get('log').wiki,
      route: `${c.req.method} ${c.req.routePath}`,
      scopes: principal ? [...principal.scopes] : [],
      required: decision.access ? SCOPE_FOR[decision.access] : undefined,
      allowed: decision.allowed,
      reason: decision.reason,
    },
    'auth decision',
  );
}
