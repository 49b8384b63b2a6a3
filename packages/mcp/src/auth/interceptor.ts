import { Code, ConnectError, createContextKey, type Interceptor } from '@connectrpc/connect';
import type { AuditLog } from './audit.js';
import type { Authenticator } from './authenticator.js';
import type { Identity } from './identity.js';

/** The authenticated caller, for handlers that want to know who asked. */
export const callerKey = createContextKey<Identity | undefined>(undefined, { description: 'mcp caller' });

/** `Code.PermissionDenied` → `PERMISSION_DENIED`, as gRPC spells it. */
export function grpcCodeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Server interceptor: authenticate every call, then write one audit line with its outcome. */
export function authInterceptor(authenticator: Authenticator, audit: AuditLog): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const method = `/${req.service.typeName}/${req.method.name}`;
    let caller = '-';
    try {
      const identity = await authenticator.identify(req.header.get('authorization'));
      caller = identity.username;
      authenticator.authorize(identity);
      req.contextValues.set(callerKey, identity);
      const response = await next(req);
      audit.record({ method, caller, outcome: 'ok', durationMs: Math.round(performance.now() - started) });
      return response;
    } catch (error) {
      const failure = ConnectError.from(error);
      audit.record({
        method,
        caller,
        outcome: grpcCodeName(failure.code),
        message: failure.rawMessage,
        durationMs: Math.round(performance.now() - started),
      });
      throw error;
    }
  };
}
