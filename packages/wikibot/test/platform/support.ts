import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { type Caller, callerFor, Platform } from '../../src/platform/service/index.js';
import type { User } from '../../src/platform/users.js';
import { openServices, type Services } from '../../src/services.js';
import { TEST_ENV } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

export type Policy = Services['config']['platform'];

/** The services of a fresh data directory (on the test run's store engine) and a movable clock. */
export interface PlatformBench {
  services: Services;
  dataDir: string;
  clock: { now: Date };
  /** The platform service with the configured policy, or another one, on the bench's clock. */
  platform(policy?: Partial<Policy>): Platform;
  /** A new account (with a password) and the caller it is when signed in. */
  person(
    username: string,
    options?: { admin?: boolean; email?: string },
  ): Promise<{ user: User; caller: Caller }>;
}

export async function openBench(): Promise<PlatformBench> {
  const dataDir = await freshDataDir('wikibot-platform-');
  const config = loadConfig({ env: { ...TEST_ENV, WIKIBOT_DATA: dataDir } });
  const services = await openServices(config, pino({ level: 'silent' }), { embedQueued: false });
  const clock = { now: new Date() };
  const platform = (policy: Partial<Policy> = {}) =>
    new Platform({
      db: services.db,
      registry: services.registry,
      users: services.auth.users,
      members: services.auth.members,
      tokens: services.tokens,
      sessions: services.auth.sessions,
      policy: { ...config.platform, ...policy },
      now: () => clock.now,
    });
  return {
    services,
    dataDir,
    clock,
    platform,
    async person(username, options = {}) {
      const user = await services.auth.users.create({
        username,
        password: `${username}-password-1`,
        isAdmin: options.admin === true,
        ...(options.email ? { email: options.email } : {}),
      });
      return { user, caller: callerFor(user) };
    },
  };
}
