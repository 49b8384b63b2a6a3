import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { publicBaseUrl } from '../config.js';
import type { Services } from '../services.js';
import { createServicesApp } from './app.js';

/**
 * How long an idle keep-alive connection stays open. Well above undici's 4 s default (and the usual
 * 60 s of proxies and load balancers in front), so a client's pooled socket is not closed under it:
 * clients take the `Keep-Alive: timeout` hint and give up their socket first.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Longer than the keep-alive timeout, as Node requires for a kept-alive socket to be timed correctly. */
const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

export interface RunningServer {
  /** The public base URL (the configured base_url, else the address below). */
  url: string;
  /** Where this process accepts connections, e.g. for a reverse proxy: http://host:port. */
  address: string;
  port: number;
  /** Stop at once: every connection is destroyed, whatever it is doing. */
  close(): Promise<void>;
  /**
   * Stop gracefully: accept nothing new, close idle keep-alive connections, let requests in flight
   * finish (their responses say `Connection: close`), and destroy whatever is still open after
   * `graceMs`. Resolves once every connection is gone.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** Listen on the configured host and port; resolves once accepting connections. */
export function startServer(services: Services): Promise<RunningServer> {
  let port = services.config.port;
  const app = createServicesApp(services, () => publicBaseUrl(services.config, port));
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: services.config.host,
        port: services.config.port,
        serverOptions: { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS },
      },
      (info: AddressInfo) => {
        port = info.port;
        const url = publicBaseUrl(services.config, port);
        resolve({
          url,
          address: publicBaseUrl({ ...services.config, base_url: undefined }, port),
          port,
          ...stopping(server as Server),
        });
      },
    );
    server.once('error', reject);
  });
}

/** The two ways of stopping a listening server. */
function stopping(server: Server): Pick<RunningServer, 'close' | 'shutdown'> {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    if (draining) closeAfter(response);
    response.once('close', () => {
      inFlight.delete(response);
      // A connection whose last response just finished is idle now: close it rather than keep it alive.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });
  const closed = new Promise<void>((done) => server.once('close', () => done()));
  return {
    close: async () => {
      server.close();
      server.closeAllConnections();
      await closed;
    },
    shutdown: async (graceMs) => {
      draining = true;
      server.close();
      server.closeIdleConnections();
      for (const response of inFlight) closeAfter(response);
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}

/** Ask for the connection to close once this response is sent (when its headers are not out yet). */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
