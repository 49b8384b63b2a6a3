import { ensureFirstRunAdmin } from '../auth/firstRun.js';
import { serve } from '../cluster.js';
import { type Config, loadConfig } from '../config.js';
import { OPERATOR } from '../platform/service/caller.js';
import { openServices, type Services } from '../services.js';
import { Conflict } from '../wiki/errors.js';
import { commandLogger } from './log.js';

/**
 * What the commands load once one runs (main.ts imports it on demand, so that `--help` and argument
 * errors load only the command table): the configuration, the services and the server.
 */
export interface GlobalOptions {
  data?: string;
  config?: string;
}

export function configFrom(global: GlobalOptions, extra: Record<string, string | undefined> = {}): Config {
  const overrides: Record<string, unknown> = {};
  if (global.data) overrides.data_dir = global.data;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) overrides[key] = value;
  return loadConfig({ ...(global.config ? { file: global.config } : {}), overrides });
}

/** A command's services, logging as text on stderr; only commands that embed (reindex) load the model. */
export async function withServices(
  global: GlobalOptions,
  task: (s: Services) => Promise<void>,
  embedQueued = false,
): Promise<void> {
  const config = configFrom(global);
  const services = await openServices(config, commandLogger(config), { embedQueued });
  try {
    await task(services);
  } finally {
    await services.close();
  }
}

/** `wikibot serve`: on a fresh installation, with the wiki "main" and a first admin. */
export async function serveCommand(config: Config): Promise<void> {
  await serve(config, async (services) => {
    await ensureFirstWiki(services);
    await ensureFirstRunAdmin(services);
  });
}

/** On a fresh installation create the wiki "main"; another replica starting at once may win the race. */
async function ensureFirstWiki(services: Services): Promise<void> {
  if ((await services.registry.list()).length > 0) return;
  try {
    await services.platform.wikis.create(OPERATOR, { slug: 'main', title: 'Main' });
    services.logger.info({ event: 'first_run', wiki: 'main' }, 'created wiki "main" from the template');
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
  }
}
