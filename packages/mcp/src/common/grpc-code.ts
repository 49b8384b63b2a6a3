import { Code } from '@connectrpc/connect';

/** `Code.PermissionDenied` → `PERMISSION_DENIED`, as gRPC spells it. */
export function grpcCodeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}
