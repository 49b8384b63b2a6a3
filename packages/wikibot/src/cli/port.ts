import { createServer } from 'node:net';

/**
 * Fails (with the EADDRINUSE error the server would meet) when `host:port` cannot be listened on,
 * so that `serve` says so before first-run set-up creates anything or prints a one-time password.
 * Port 0 (any free port) always succeeds.
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
