import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { assertCanListen } from './cli/port.js';
import { shutDown } from './cli/shutdown.js';
import type { Config } from './config.js';
import { openServices, type Services } from './services.js';

/** What a worker tells the primary once it accepts connections. */
interface ListeningMessage {
  listening: string;
}

/**
 * `wikibot serve`: one process, or `config.workers` processes (default one per CPU core) accepting
 * connections on one port through node:cluster. Workers share repositories and index files as
 * separate processes always can. First-run set-up (`prepare`: the wiki "main", the admin account)
 * happens once, before any worker starts; SIGTERM or SIGINT to the primary stops the workers.
 */
export async function serve(config: Config, prepare: (services: Services) => Promise<void>): Promise<void> {
  if (cluster.isWorker) return serveHere(config, null);
  // Before first-run set-up, which prints a password only once.
  await assertCanListen(config.host, config.port);
  const workers = config.workers || availableParallelism();
  if (workers <= 1) return serveHere(config, prepare);
  const services = await openServices(config);
  try {
    await prepare(services);
  } finally {
    await services.close();
  }
  await superviseWorkers(workers);
}

/** How long after listening the background work starts. */
const BACKGROUND_WORK_DELAY_MS = 2000;

/** Serve in this process; `prepare` first unless the primary did it. */
async function serveHere(config: Config, prepare: ((services: Services) => Promise<void>) | null) {
  const services = await openServices(config);
  await prepare?.(services);
  const { startServer } = await import('./http/server.js');
  const server = await startServer(services);
  services.logger.info({ event: 'listening', url: server.url }, 'listening');
  if (cluster.isWorker) process.send?.({ listening: server.address } satisfies ListeningMessage);
  else {
    // Said whatever the log level: people and scripts need to know where to connect.
    const publicUrl = server.url === server.address ? '' : ` (public URL ${server.url})`;
    console.error(`wikibot listening on ${server.address}${publicUrl}`);
  }
  // Load the embedding model and resume queued embedding work without waiting for a request, but
  // not while the first requests are answered: the worker threads and the model would take the
  // cores a cold start serves them with (each piece starts on its first use anyway).
  const background = setTimeout(() => services.startBackgroundWork(), BACKGROUND_WORK_DELAY_MS);
  const stop = () => {
    clearTimeout(background);
    return shutDown(server, services);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Start `count` workers and announce the URL once all listen. A worker that dies later is replaced;
 * one that dies before listening ends the start (its error is on stderr).
 */
async function superviseWorkers(count: number): Promise<void> {
  let stopping = false;
  const listening = new Set<Worker>();
  let announce: (url: string) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const started = new Promise<string>((resolve, reject) => {
    announce = resolve;
    fail = reject;
  });
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: Partial<ListeningMessage>) => {
      if (typeof message?.listening !== 'string') return;
      listening.add(worker);
      if (listening.size === count) announce(message.listening);
    });
    worker.once('exit', (code, signal) => {
      const served = listening.delete(worker);
      if (stopping) return;
      if (!served) {
        fail(new Error(`a worker exited before it could serve (${signal ?? `code ${code}`})`));
        return;
      }
      console.error(
        `wikibot worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`,
      );
      fork();
    });
  };
  const stop = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let i = 0; i < count; i++) fork();
  try {
    const url = await started;
    console.error(`wikibot listening on ${url} (${count} workers)`);
  } catch (error) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    throw error;
  }
}
