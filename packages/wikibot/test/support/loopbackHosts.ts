import { request as httpRequest } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { freePort } from './net.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * Clients for host mode's `<slug>.localhost` names, which do not resolve here: every name is the
 * loopback address (node:http's `lookup`), and the host name is sent as it is.
 */
export const loopback: LookupFunction = (_host, options, callback) => {
  if (options.all)
    (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  else callback(null, '127.0.0.1', 4);
};

function plainHeaders(init: HeadersInit | undefined): Record<string, string> {
  const plain: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    plain[name] = value;
  });
  return plain;
}

/** fetch over node:http with every host name resolved to loopback, streaming the answer (string or form bodies). */
export const loopbackFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : input);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: init.method ?? 'GET',
        headers: plainHeaders(init.headers),
        lookup: loopback,
      },
      (res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
            headers.append(name, one);
        const status = res.statusCode ?? 0;
        const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream);
        resolve(new Response(body, { status, headers }));
      },
    );
    req.on('error', reject);
    init.signal?.addEventListener('abort', () => req.destroy());
    const body = init.body;
    req.end(typeof body === 'string' || body instanceof URLSearchParams ? String(body) : undefined);
  });
};

/** A test server in host mode on a free port, its base URL `http://localhost:<port>`; `env` adds settings. */
export async function startHostModeServer(
  env: Record<string, string> = {},
): Promise<{ server: TestServer; port: number }> {
  const port = await freePort();
  const server = await startTestServer({
    env: {
      WIKIBOT_PORT: String(port),
      WIKIBOT_BASE_URL: `http://localhost:${port}`,
      WIKIBOT_WIKI_HOST_MODE: 'true',
      ...env,
    },
  });
  return { server, port };
}
