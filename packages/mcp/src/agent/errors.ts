import { Code, ConnectError } from '@connectrpc/connect';
import { RuntimeError } from '../runtime/runtime.js';
import { NAME_PATTERN, ServiceDefError } from '../servicedef/validate.js';

export function invalidArgument(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

export function notFound(message: string): ConnectError {
  return new ConnectError(message, Code.NotFound);
}

/** Maps the agent's typed errors to gRPC codes once, for every handler. */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof ServiceDefError) return new ConnectError(error.message, Code.InvalidArgument);
  if (error instanceof RuntimeError) return new ConnectError(error.message, Code.Internal);
  return new ConnectError((error as Error).message ?? String(error), Code.Internal);
}

/** A service name from a request; invalid names never reach podman or the file system. */
export function requireServiceName(name: string, field = 'name'): string {
  if (name === '') throw invalidArgument(`${field} is required`);
  if (!NAME_PATTERN.test(name)) throw invalidArgument(`${field} "${name}" must match ${NAME_PATTERN.source}`);
  return name;
}
