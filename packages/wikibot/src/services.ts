import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import type { Config } from './config.js';
import { openPlatformStore, type PlatformDb } from './platform/store.js';
import { TokenStore } from './platform/tokens.js';
import { WikiRegistry } from './platform/wikis.js';

/** The long-lived parts every entry point (server, CLI, Lambda) is made of. */
export interface Services {
  config: Config;
  db: PlatformDb;
  tokens: TokenStore;
  registry: WikiRegistry;
  authenticator: Authenticator;
  logger: Logger;
  close(): Promise<void>;
}

export async function openServices(config: Config, logger?: Logger): Promise<Services> {
  const db = await openPlatformStore(join(config.data_dir, 'platform.sqlite'));
  const tokens = new TokenStore(db);
  const registry = new WikiRegistry(
    db,
    { dataDir: config.data_dir, ...(config.index_dir ? { indexDir: config.index_dir } : {}) },
    {
      linkStyle: config.wiki.link_style,
      maxPageBytes: config.wiki.max_page_bytes,
      maxAttachmentBytes: config.wiki.max_attachment_bytes,
    },
  );
  return {
    config,
    db,
    tokens,
    registry,
    authenticator: new Authenticator(tokens, config.admin_token),
    logger: logger ?? pino({ level: config.log_level, base: undefined }),
    async close() {
      await registry.closeAll();
      await db.destroy();
    },
  };
}
