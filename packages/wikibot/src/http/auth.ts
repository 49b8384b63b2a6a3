import type { Context, MiddlewareHandler } from 'hono';
import { bearerToken } from '../auth/authenticate.js';
import { type Access, ANONYMOUS, denial, SCOPE_FOR } from '../auth/principal.js';
import type { AppDeps, AppEnv } from './context.js';

/** Resolve the caller once per request. A credential that is present but not genuine is refused at once. */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === null) {
      c.set('principal', ANONYMOUS);
      return next();
    }
    const principal = await deps.authenticator.fromBearer(token);
    if (!principal) {
      logDecision(deps, c, { subject: 'unknown', allowed: false, reason: 'invalid or expired token' });
      return unauthorized(
        deps,
        c,
        'read',
        'invalid_token',
        'The access token is invalid, expired or revoked',
      );
    }
    c.set('principal', principal);
    c.get('log').subject = principal.subject;
    return next();
  };
}

/** Allow the request only if the caller may use this wiki this way; log the decision either way. */
export function requireAccess(deps: AppDeps, access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const wiki = c.get('wiki').slug;
    if (principal === ANONYMOUS) {
      logDecision(deps, c, { subject: 'anonymous', allowed: false, reason: 'no credential', access });
      return unauthorized(deps, c, access);
    }
    const reason = denial(principal, wiki, access);
    logDecision(deps, c, {
      subject: principal.subject,
      allowed: reason === null,
      reason: reason ?? 'ok',
      access,
    });
    if (reason) {
      c.header(
        'WWW-Authenticate',
        `Bearer error="insufficient_scope", scope="${SCOPE_FOR[access]}", resource_metadata="${resourceMetadataUrl(deps, c)}"`,
      );
      return c.json({ error: `Forbidden: ${reason}` }, 403);
    }
    return next();
  };
}

function unauthorized(
  deps: AppDeps,
  c: Context<AppEnv>,
  access: Access,
  error?: string,
  message = 'Authentication required',
) {
  const parts = [
    ...(error ? [`error="${error}"`] : []),
    `resource_metadata="${resourceMetadataUrl(deps, c)}"`,
    `scope="${SCOPE_FOR[access]}"`,
  ];
  c.header('WWW-Authenticate', `Bearer ${parts.join(', ')}`);
  return c.json({ error: message }, 401);
}

/** RFC 9728 metadata URL for the resource this request addresses (the wiki's API or MCP endpoint). */
function resourceMetadataUrl(deps: AppDeps, c: Context<AppEnv>): string {
  const path = new URL(c.req.url).pathname;
  const match = /^\/w\/[^/]+\/(api\/v1|mcp)/.exec(path);
  return `${deps.baseUrl()}/.well-known/oauth-protected-resource${match ? match[0] : ''}`;
}

function logDecision(
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
