import { ANONYMOUS, type Principal, SCOPE_FOR } from '../../auth/principal.js';
import { challenge } from '../auth.js';
import type { ToolAccess } from './session.js';

/**
 * The answer to a caller who may not do what it asked: 401 without a credential (so the client can
 * sign in), else 403 `insufficient_scope` naming the scope to step up to. Both point at the resource
 * metadata (RFC 9728) so clients can find the authorization server.
 */
export function refusal(
  principal: Principal,
  access: ToolAccess,
  reason: string,
  metadata: string,
): Response {
  const scope = SCOPE_FOR[access];
  if (principal === ANONYMOUS) {
    return Response.json(
      { error: 'Authentication required' },
      { status: 401, headers: { 'WWW-Authenticate': challenge({ scheme: 'Bearer', scope, metadata }) } },
    );
  }
  return Response.json(
    { error: `Forbidden: ${reason}` },
    {
      status: 403,
      headers: {
        'WWW-Authenticate': challenge({ scheme: 'Bearer', scope, metadata, insufficientScope: true }),
      },
    },
  );
}
