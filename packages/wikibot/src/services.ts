import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import type { Authenticator } from './auth/authenticate.js';
import { type AuthServices, openAuth } from './auth/services.js';
import { type Config, embeddingConfig, searchLimits, storeLocation } from './config.js';
import { RenderCache, renderSettings } from './http/web/render-cache.js';
import { type Observability, startObservability } from './observability/index.js';
import { IndexSnapshots } from './platform/indexSnapshots.js';
import { limitDefaults, WikiLimitsStore } from './platform/limits/limits.js';
import { Platform } from './platform/service/index.js';
import { openPlatformStore, type PlatformDb } from './platform/store.js';
import { TokenStore } from './platform/tokens.js';
import { WikiRegistry } from './platform/wikis.js';
import { EmbeddingRuntime } from './wiki/embeddingRuntime.js';
import { WorkPool } from './work/pool.js';

/** The long-lived parts every entry point (server, CLI, Lambda) is made of. */
export interface Services {
  config: Config;
  db: PlatformDb;
  tokens: TokenStore;
  registry: WikiRegistry;
  /** Per-wiki limits: configured defaults and platform admins' overrides. */
  limits: WikiLimitsStore;
  authenticator: Authenticator;
  /** Accounts, roles, sessions, token verification, the authorization server's state. */
  auth: AuthServices;
  /** Every use case about wikis, members, invitations, accounts and tokens, with its rules. */
  platform: Platform;
  logger: Logger;
  /** Metrics and traces, as configured. */
  observability: Observability;
  /** Index snapshots next to the repositories, when configured (`index_snapshot_every`). */
  snapshots?: IndexSnapshots;
  /** The embedding provider every wiki of this process shares (made in the background). */
  embeddings: EmbeddingRuntime;
  /** The worker threads heavy work (rendering) runs on, with deadlines. */
  work: WorkPool;
  /**
   * For long-running servers, once listening: start the worker threads and load the embedding model
   * now rather than on first use, and open every wiki so that embedding work left queued (by a crash,
   * a push, another process) resumes without waiting for a request.
   */
  startBackgroundWork(): void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /**
   * Embed queued page texts in this process (the default). Short command-line commands leave that
   * to the server, so they neither load nor download the embedding model.
   */
  embedQueued?: boolean;
}

export async function openServices(
  config: Config,
  logger?: Logger,
  options: ServiceOptions = {},
): Promise<Services> {
  // Buffered stdout: a write per log line costs more than serving a page read. Lines reach stdout
  // once 2 KB are waiting or within a quarter second, and on close; each write is whole lines of at
  // most 4 KB (PIPE_BUF), so workers sharing stdout never interleave within a line.
  const destination = logger
    ? null
    : pino.destination({ dest: 1, sync: false, minLength: 2048, maxWrite: 4096 });
  const flusher = destination ? setInterval(() => destination.flush(), 250).unref() : undefined;
  // Workers of one server (see cluster.ts) tell their lines apart by pid.
  const base = cluster.isWorker ? { pid: process.pid } : undefined;
  const log = logger ?? pino({ level: config.log_level, base }, destination ?? undefined);
  const db = await openPlatformStore(storeLocation(config), (message) =>
    log.warn({ event: 'store' }, message),
  );
  const tokens = new TokenStore(db);
  // Made in the background when a wiki first needs it (or at `embeddings.start()`), never awaited
  // by start-up; until it is ready semantic search answers 503 and hybrid search is full text.
  const embeddings = new EmbeddingRuntime(embeddingConfig(config), log);
  const observability = await startObservability(
    config,
    {
      wikis: async () => {
        const gauges = await Promise.all(
          (await registry.openWikis()).map(async (wiki) => ({
            slug: wiki.slug,
            indexLagCommits: await wiki.indexLag(),
            embeddingQueue: (await wiki.semantics.status()).queueLength,
          })),
        );
        return gauges;
      },
      openSessions: () => auth.sessions.countOpen(),
    },
    log,
  );
  const snapshots: IndexSnapshots | undefined =
    config.index_snapshot_every > 0
      ? new IndexSnapshots(config.index_snapshot_every, (slug): string => registry.snapshotFile(slug), log)
      : undefined;
  const limits = new WikiLimitsStore(db, limitDefaults(config));
  const work = new WorkPool({
    threads: config.work.threads,
    maxHeapMb: config.work.max_heap_mb,
  });
  const registry = new WikiRegistry(
    db,
    {
      dataDir: config.data_dir,
      ...(config.index_dir ? { indexDir: config.index_dir } : {}),
      ...(snapshots ? { seedIndex: snapshots.seed.bind(snapshots) } : {}),
    },
    {
      linkStyle: config.wiki.link_style,
      maxPageBytes: config.wiki.max_page_bytes,
      maxAttachmentBytes: config.wiki.max_attachment_bytes,
      search: searchLimits(config),
      limits: (slug) => limits.limits(slug),
      renderer: new RenderCache(renderSettings(config, work)),
      ...(options.embedQueued === false ? {} : { embeddings }),
    },
    observability.measureRepository,
  );
  const auth = await openAuth(config, db, tokens);
  const platform = new Platform({
    db,
    registry,
    users: auth.users,
    members: auth.members,
    tokens,
    sessions: auth.sessions,
    policy: config.platform,
  });
  return {
    config,
    db,
    tokens,
    registry,
    limits,
    authenticator: auth.authenticator,
    auth,
    platform,
    logger: log,
    observability,
    embeddings,
    work,
    ...(snapshots ? { snapshots } : {}),
    startBackgroundWork() {
      work.start();
      embeddings.start();
      void platform.wikis
        .purgeExpired()
        .then((purged) => {
          for (const slug of purged) log.info({ event: 'wiki_purged', wiki: slug }, 'purged a deleted wiki');
        })
        .catch((error: unknown) => log.warn({ err: error }, 'could not purge expired deleted wikis'));
      void (async () => {
        for (const { slug } of await registry.list()) await registry.wiki(slug);
      })().catch((error: unknown) =>
        log.warn({ err: error }, 'could not open every wiki to resume embedding'),
      );
    },
    async close() {
      await registry.closeAll();
      await embeddings.close();
      await work.close();
      await observability.shutdown();
      await db.destroy();
      clearInterval(flusher);
      destination?.flushSync();
    },
  };
}
