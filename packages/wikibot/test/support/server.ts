import { rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/http/server.js';
import type { Scope } from '../../src/platform/tokens.js';
import { openServices, type Services } from '../../src/services.js';
import { freshDataDir } from './store.js';

export interface TestServer {
  url: string;
  dataDir: string;
  services: Services;
  /** Base URL of a wiki's REST API. */
  api(slug?: string): string;
  /** Create an API token for a wiki. */
  token(scopes: Scope[], wiki?: string | null): Promise<string>;
  /** fetch with a bearer token and JSON helpers. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; json: any; headers: Headers; text: string }>;
  /** A request whose path is sent exactly as given (fetch would normalise `.` and `..` segments). */
  raw(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
  /** Stop and start again on the same data directory (same port not guaranteed). */
  restart(): Promise<void>;
}

/** A real wikibot on 127.0.0.1 (port 0) over a fresh data directory with the wiki "main". */
export async function startTestServer(
  options: { dataDir?: string; env?: Record<string, string>; createMain?: boolean } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await freshDataDir());
  let services: Services;
  let server: RunningServer;
  const boot = async () => {
    const config = loadConfig({ env: { WIKIBOT_DATA: dataDir, WIKIBOT_PORT: '0', ...options.env } });
    services = await openServices(config, pino({ level: 'silent' }));
    if (options.createMain !== false && !(await services.registry.get('main'))) {
      await services.registry.create('main', { title: 'Main', template: false });
    }
    server = await startServer(services);
  };
  await boot();
  const harness: TestServer = {
    get url() {
      return server.url;
    },
    dataDir,
    get services() {
      return services;
    },
    api: (slug = 'main') => `${server.url}/w/${slug}/api/v1`,
    async token(scopes, wiki = 'main') {
      return (await services.tokens.create({ wiki, name: `test ${scopes.join(' ')}`, scopes })).token;
    },
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const url = path.startsWith('http') ? path : `${server.url}${path}`;
      const response = await fetch(url, { method, headers, body });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, json, headers: response.headers, text };
    },
    raw(method, path, opts = {}) {
      const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      return new Promise((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        const req = httpRequest(
          {
            hostname,
            port,
            path,
            method,
            headers: {
              ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    async stop() {
      await server.close();
      await services.close();
    },
    async restart() {
      await harness.stop();
      await boot();
    },
  };
  return harness;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
