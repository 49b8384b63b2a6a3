import { ConfigError } from '../config.js';
import { WikiError } from '../wiki/errors.js';

/**
 * What a command-line user is told when a command fails for a reason of theirs or of the machine
 * (bad input, bad configuration, a busy port, a file in the way): one line, no stack trace.
 * Undefined for anything else, which is a bug and keeps its stack trace.
 */
export function describeFailure(error: unknown): string | undefined {
  if (error instanceof WikiError || error instanceof ConfigError) return error.message;
  if (!(error instanceof Error) || !('code' in error) || !('syscall' in error)) return undefined;
  const { code, path, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${address} is already in use: stop the program using it, or choose another port with --port`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${address}: no such address on this machine (choose another with --host)`;
    case 'EEXIST':
    case 'ENOTDIR':
      return `${path ?? error.message}: a directory is needed there, but a file is in the way`;
    case 'EACCES':
    case 'EPERM':
      return path ? `permission denied: ${path}` : error.message;
    default:
      return error.message;
  }
}
