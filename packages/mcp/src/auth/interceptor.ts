import { ConnectError, type Interceptor } from '@connectrpc/connect';
import { grpcCodeName } from '../common/grpc-code.js';
import type { AuditLog } from './audit.js';
import type { Authenticator } from './authenticator.js';

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
