import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { credentialFromHeader } from '../auth/authenticate.js';
import { type Access, ANONYMOUS, decisions, type Principal, SCOPE_FOR } from '../auth/principal.js';
import type { Scope } from '../platform/tokens.js';
import type { WikiRecord } from '../platform/wikis.js';
import { NotFound } from '../wiki/errors.js';
import type { AppDeps, AppEnv } from './context.js';

/**
 * The access gate every door (REST, MCP, web, git) passes: the caller is authenticated once, the
 * wiki's record and what the caller may do there are resolved once and kept on the request
 * (`c.get('access')`), each door's requirement is decided against it, and the request's decision is
 * written as one log line when it ends.
 */

/** The wiki a request is about and what its caller may do there. */
export interface WikiAccess {
  record: WikiRecord;
  can: Record<Access, boolean>;
  /** Why each kind of use is refused (null: allowed). */
  reasons: Record<Access, string | null>;
  /** The principal these were resolved for. */
  principal: Principal;
}

/** A request's authorization decision, logged once when the request ends (SPEC §5). */
export interface Decision {
  door: 'api' | 'mcp' | 'web' | 'git';
  route: string;
  required?: Access;
  reason: string | null;
  rpcMethod?: string;
  tool?: string;
  /** The caller was refused before it was known (a credential that is not genuine). */
  unknownCaller?: boolean;
}

/**
 * The caller of a request from its Authorization header: the principal, ANONYMOUS without a
 * credential, or why a credential that is present is not genuine (or not meant for this wiki).
 */
export async function callerOf(
  deps: AppDeps,
  c: Context<AppEnv>,
  slug: string | undefined,
): Promise<Principal | { refused: string }> {
  const credential = credentialFromHeader(c.req.header('authorization'));
  if (credential === null) return ANONYMOUS;
  const result = await deps.authenticator.fromBearer(credential, {
    ...(slug ? { wiki: slug } : {}),
    baseUrl: deps.baseUrl(),
    wikiDomain: deps.placement.wikiDomain(),
  });
  if ('refused' in result) return result;
  c.get('log').subject = result.subject;
  return result;
}

/** Resolve the caller once per request; a credential that is present but not genuine is refused with 401. */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await callerOf(deps, c, c.get('wiki')?.slug);
    if ('refused' in caller) {
      c.set('principal', ANONYMOUS);
      decide(c, { door: doorOf(c), route: routeOf(c), reason: caller.refused, unknownCaller: true });
      const metadata = resourceMetadataUrl(deps, c);
      c.header(
        'WWW-Authenticate',
        challenge({ scheme: 'Bearer', scope: 'wiki:read', metadata, invalidToken: caller.refused }),
      );
      return c.json({ error: `Invalid credential: ${caller.refused}` }, 401);
    }
    c.set('principal', caller);
    return next();
  };
}

/**
 * What the request's caller may do on wiki `slug`, resolved on first use and kept for the rest of the
 * request (re-resolved only if the principal changes, as when a browser session signs the caller in).
 * A `NotFound` when there is no such wiki.
 */
export async function wikiAccess(deps: AppDeps, c: Context<AppEnv>, slug: string): Promise<WikiAccess> {
  const principal = c.get('principal') ?? ANONYMOUS;
  const kept = c.get('access');
  if (kept && kept.principal === principal && kept.record.slug === slug) return kept;
  const record = kept?.record.slug === slug ? kept.record : await deps.registry.get(slug);
  if (!record) throw new NotFound(`Wiki not found: ${slug}`);
  const reasons = await decisions(principal, record);
  const can = { read: reasons.read === null, write: reasons.write === null, admin: reasons.admin === null };
  const access: WikiAccess = { record, can, reasons, principal };
  c.set('access', access);
  return access;
}

/** Record the request's decision (a later one, e.g. write after read, replaces it); null reason: allowed. */
export function decide(c: Context<AppEnv>, decision: Decision): string | null {
  c.set('decision', decision);
  return decision.reason;
}

/**
 * REST's requirement: allow the request only if the caller may use the wiki this way. Refusals:
 * 401 without a credential, 403 `insufficient_scope` when a wider token would help, else 403.
 */
export function requireAccess(deps: AppDeps, access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const { reasons } = await wikiAccess(deps, c, c.get('wiki').slug);
    const reason = decide(c, { door: 'api', route: routeOf(c), required: access, reason: reasons[access] });
    if (reason === null) return next();
    const metadata = resourceMetadataUrl(deps, c);
    const scope = SCOPE_FOR[access];
    if (principal === ANONYMOUS) {
      c.header('WWW-Authenticate', challenge({ scheme: 'Bearer', scope, metadata }));
      return c.json({ error: 'Authentication required' }, 401);
    }
    if (!principal.scopes.has(scope)) {
      c.header('WWW-Authenticate', challenge({ scheme: 'Bearer', scope, metadata, insufficientScope: true }));
    }
    return c.json({ error: `Forbidden: ${reason}` }, 403);
  };
}

export type Challenge =
  | { scheme: 'Basic' }
  /** A platform-level resource (no wiki, so no resource metadata): `Bearer realm="<realm>"`. */
  | { scheme: 'Bearer'; realm: string }
  | {
      scheme: 'Bearer';
      scope: Scope;
      /** RFC 9728 metadata URL of the resource. */
      metadata: string;
      /** Why the credential presented is not accepted (error="invalid_token"). */
      invalidToken?: string;
      /** A credential with `scope` would be accepted (error="insufficient_scope"). */
      insufficientScope?: boolean;
    };

/** The `WWW-Authenticate` value of every refusal: git's Basic realm, or an OAuth Bearer challenge. */
export function challenge(wanted: Challenge): string {
  if (wanted.scheme === 'Basic') return 'Basic realm="wikibot", charset="UTF-8"';
  if ('realm' in wanted) return `Bearer realm="${wanted.realm}"`;
  const { scope, metadata } = wanted;
  if (wanted.insufficientScope)
    return `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${metadata}"`;
  const problem =
    wanted.invalidToken === undefined
      ? []
      : ['error="invalid_token"', `error_description="${headerSafe(wanted.invalidToken)}"`];
  return `Bearer ${[...problem, `resource_metadata="${metadata}"`, `scope="${scope}"`].join(', ')}`;
}

/** Text fit for a quoted header parameter: no quotes, backslashes or control characters; at most 200 characters. */
function headerSafe(text: string): string {
  return text.replace(/[\p{Cc}"\\]/gu, ' ').slice(0, 200);
}

/**
 * RFC 9728 metadata URL for the resource this request addresses (a wiki's API or MCP endpoint, or the
 * wiki): under the base URL, or on the wiki's host when the request was made there.
 */
export function resourceMetadataUrl(deps: AppDeps, c: Context<AppEnv>): string {
  const base = deps.baseUrl();
  const match = /^\/w\/([^/]+)(\/api\/v1|\/mcp)?/.exec(new URL(c.req.url).pathname);
  const wikiUrl = match ? deps.placement.addressedWikiUrl(c.req.raw, match[1] as string) : base;
  const [root, path] =
    !match || wikiUrl.startsWith(`${base}/`) ? [base, match?.[0] ?? ''] : [wikiUrl, match[2] ?? ''];
  return `${root}/.well-known/oauth-protected-resource${path}`;
}

/** The route pattern a request matched, as logged. */
export function routeOf(c: Context): string {
  return `${c.req.method} ${c.req.routePath}`;
}

function doorOf(c: Context): Decision['door'] {
  return /^\/w\/[^/]+\/mcp(\/|$)/.test(c.req.path) ? 'mcp' : 'api';
}

/** Write the request's authorization decision, if it had one, as one JSON line when the request ends. */
export function decisionLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    try {
      await next();
    } finally {
      const decision = c.get('decision');
      if (decision) logDecision(logger, c, decision);
    }
  };
}

function logDecision(logger: Logger, c: Context<AppEnv>, decision: Decision): void {
  const principal = c.get('principal') ?? ANONYMOUS;
  logger.info(
    {
      event: 'auth',
      door: decision.door,
      subject: decision.unknownCaller ? 'unknown' : principal.subject,
      client: principal.client,
      wiki: c.get('log').wiki,
      route: decision.route,
      rpc_method: decision.rpcMethod,
      tool: decision.tool,
      scopes: [...principal.scopes],
      required: decision.required ? SCOPE_FOR[decision.required] : undefined,
      allowed: decision.reason === null,
      reason: decision.reason ?? 'ok',
    },
    'auth decision',
  );
}
