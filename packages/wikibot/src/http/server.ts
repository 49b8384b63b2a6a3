import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { publicBaseUrl } from '../config.js';
import type { Services } from '../services.js';
import { createApp } from './app.js';

export interface RunningServer {
  /** The public base URL (the configured base_url, else the address below). */
  url: string;
  /** Where this process accepts connections, e.g. for a reverse proxy: http://host:port. */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Listen on the configured host and port; resolves once accepting connections. */
export function startServer(services: Services): Promise<RunningServer> {
  let port = services.config.port;
  const app = createApp({
    config: services.config,
    registry: services.registry,
    tokens: services.tokens,
    authenticator: services.authenticator,
    auth: services.auth,
    logger: services.logger,
    baseUrl: () => publicBaseUrl(services.config, port),
  });
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: services.config.host, port: services.config.port },
      (info: AddressInfo) => {
        port = info.port;
        const url = publicBaseUrl(services.config, port);
        resolve({
          url,
          address: publicBaseUrl({ ...services.config, base_url: undefined }, port),
          port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
