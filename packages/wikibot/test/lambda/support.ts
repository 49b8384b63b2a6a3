import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openServices, type Services } from '../../src/services.js';

/** The function's environment on a shared directory: embeddings off, quiet logs, plus `extra`. */
export function functionEnv(dataDir: string, extra: Record<string, string>): Record<string, string> {
  return { WIKIBOT_DATA: dataDir, WIKIBOT_EMBEDDING_PROVIDER: 'none', WIKIBOT_LOG_LEVEL: 'warn', ...extra };
}

/**
 * What an operator does once against the shared directory before the function serves it, from a
 * machine of their own with its own index directory: the function's /tmp starts empty.
 */
export async function prepareSharedDirectory(
  env: Record<string, string>,
  prepare: (services: Services) => Promise<void>,
): Promise<void> {
  const operatorIndex = join(env.WIKIBOT_DATA as string, '..', 'operator-index');
  const services = await openServices(loadConfig({ env: { ...env, WIKIBOT_INDEX_DIR: operatorIndex } }));
  try {
    await prepare(services);
  } finally {
    await services.close();
  }
}
