import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { startServer, type TestServer } from './test-server.js';

export interface TestHub extends TestServer {
  /** "METHOD /path" of every request, in order. */
  requested: string[];
}

/** A loopback server laid out like the Hugging Face hub, serving `modelDir` as `/<model>/resolve/main/<file>`. */
export async function startHub(model: string, modelDir: string): Promise<TestHub> {
  const requested: string[] = [];
  const prefix = `/${model}/resolve/main/`;
  const server = await startServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://hub.test');
    requested.push(`${request.method} ${url.pathname}`);
    const relative = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
    const file =
      relative && !relative.includes('..') ? path.join(modelDir, ...relative.split('/')) : undefined;
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    response.writeHead(200, { 'content-length': info.size, 'content-type': 'application/octet-stream' });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  return { ...server, requested };
}
