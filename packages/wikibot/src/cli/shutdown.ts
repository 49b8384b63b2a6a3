import type { RunningServer } from '../http/server.js';
import type { Services } from '../services.js';

/** The part of the grace period kept for closing the wikis once the connections are gone. */
const CLOSE_BUDGET_MS = 1_000;

/**
 * `wikibot serve` on SIGTERM/SIGINT: stop accepting, let requests in flight (and so their commits)
 * finish, close idle connections, close the wikis and exit 0. Whatever is running, the process is gone
 * once `http.shutdown_grace_seconds` have passed: connections still open a little before then are
 * destroyed (a write not yet acknowledged is then refused, never half done: commits are atomic).
 */
export async function shutDown(server: RunningServer, services: Services): Promise<never> {
  const graceMs = services.config.http.shutdown_grace_seconds * 1000;
  services.logger.info({ event: 'shutdown', grace_ms: graceMs }, 'shutting down');
  setTimeout(() => {
    services.logger.warn({ event: 'shutdown', grace_ms: graceMs }, 'grace period over: exiting now');
    process.exit(0);
  }, graceMs);
  await server.shutdown(graceMs - Math.min(CLOSE_BUDGET_MS, graceMs / 2));
  await services.close();
  process.exit(0);
}
