import type { Logger } from 'pino';
import { ANONYMOUS, authorize, type Principal, SCOPE_FOR } from '../../auth/principal.js';
import type { WikiRecord } from '../../platform/wikis.js';
import type { ToolAccess } from './session.js';

/**
 * The one authorization check of the MCP door: why `principal` may not use `wiki` this way, or null
 * when it may. Everything the door allows or refuses (the endpoint, each tool, the tool list) asks here.
 */
export async function mcpDenial(
  principal: Principal,
  wiki: WikiRecord,
  access: ToolAccess,
): Promise<string | null> {
  return authorize(principal, wiki, access);
}

/** For each kind of use, why this caller may not use this wiki that way (null: it may). */
export async function denials(
  principal: Principal,
  wiki: WikiRecord,
): Promise<Record<ToolAccess, string | null>> {
  const [read, write] = await Promise.all([
    mcpDenial(principal, wiki, 'read'),
    mcpDenial(principal, wiki, 'write'),
  ]);
  return { read, write };
}

/**
 * The answer to a caller who may not do what it asked: 401 without a credential (so the client can
 * sign in), else 403 `insufficient_scope` naming the scope to step up to. Both point at the resource
 * metadata (RFC 9728) so clients can find the authorization server.
 */
export function refusal(
  principal: Principal,
  access: ToolAccess,
  reason: string,
  resourceMetadata: string,
): Response {
  const scope = SCOPE_FOR[access];
  if (principal === ANONYMOUS) {
    return Response.json(
      { error: 'Authentication required' },
      {
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer resource_metadata="${resourceMetadata}", scope="${scope}"` },
      },
    );
  }
  return Response.json(
    { error: `Forbidden: ${reason}` },
    {
      status: 403,
      headers: {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${resourceMetadata}"`,
      },
    },
  );
}

/** One JSON log line per decision (SPEC §5): subject, client, wiki, route and tool, scopes, outcome, reason. */
export function logDecision(
  logger: Logger,
  decision: {
    principal: Principal;
    wiki: string;
    route: string;
    rpcMethod?: string;
    tool?: string;
    required?: ToolAccess;
    reason: string | null;
  },
): void {
  const { principal } = decision;
  logger.info(
    {
      event: 'auth',
      subject: principal.subject,
      client: principal.client,
      wiki: decision.wiki,
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
