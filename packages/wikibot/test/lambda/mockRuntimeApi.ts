import { randomBytes, randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { expect, inject } from 'vitest';
import { lambdaFetch } from '../../bench/lambdaEvents.js';
import { cloneUrl, gitOk } from '../git-http/support.js';
import { waitFor } from '../search/support.js';
import { createDatabase } from '../support/postgres.js';
import { TEST_STORE } from '../support/store.js';
import { functionEnv, prepareSharedDirectory } from './support.js';

/** What the function posted for one invocation: its result, or the error it reported. */
export type Outcome = { result: unknown } | { error: { errorType: string; errorMessage: string } };

interface Pending {
  id: string;
  event: unknown;
  settle: (outcome: Outcome) => void;
}

const PREFIX = '/2018-06-01/runtime/invocation/';

/**
 * A mock of AWS Lambda's Runtime API (the real service cannot run here), on loopback: `invoke` queues
 * an event, the function under test takes it from /invocation/next and posts to /response or /error.
 */
export class MockRuntimeApi {
  private readonly queue: Pending[] = [];
  private readonly waiting: ServerResponse[] = [];
  private readonly inFlight = new Map<string, Pending>();
  private readonly server = createServer((req, res) => this.route(req, res));
  /** The X-Ray trace of each invocation handed out, as [trace id, parent span id] in OpenTelemetry's hex. */
  readonly traces: Array<[string, string]> = [];

  async listen(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return `${host}:${(this.server.address() as AddressInfo).port}`;
  }

  invoke(event: unknown): Promise<Outcome> {
    return new Promise((settle) => {
      this.queue.push({ id: randomUUID(), event, settle });
      this.dispatch();
    });
  }

  /** `invoke` as a handler: the result, or the reported error thrown (for bench/lambdaEvents.ts's lambdaFetch). */
  readonly handler = async (event: unknown): Promise<never> => {
    const outcome = await this.invoke(event);
    if ('error' in outcome) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    return outcome.result as never;
  };

  /** The function's process ended (as Lambda reports it): every invocation waiting fails with `reason`. */
  exited(reason: string): void {
    for (const pending of [...this.inFlight.values(), ...this.queue.splice(0)])
      pending.settle({ error: { errorType: 'Runtime.ExitError', errorMessage: reason } });
    this.inFlight.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.waiting.length > 0) {
      const next = this.queue.shift() as Pending;
      const res = this.waiting.shift() as ServerResponse;
      this.inFlight.set(next.id, next);
      const [time, root, parent] = [
        Math.floor(Date.now() / 1000).toString(16),
        randomBytes(12).toString('hex'),
        randomBytes(8).toString('hex'),
      ];
      this.traces.push([`${time}${root}`, parent]);
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': next.id,
        'lambda-runtime-deadline-ms': String(Date.now() + 30_000),
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:wikibot',
        'lambda-runtime-trace-id': `Root=1-${time}-${root};Parent=${parent};Sampled=1`,
      });
      res.end(JSON.stringify(next.event));
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    if (req.method === 'GET' && path === `${PREFIX}next`) {
      this.waiting.push(res);
      this.dispatch();
      return;
    }
    const [, id, kind] = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path) ?? [];
    const pending = id ? this.inFlight.get(id) : undefined;
    if (req.method !== 'POST' || !pending) {
      res.writeHead(404).end('unknown Runtime API request');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.inFlight.delete(pending.id);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      pending.settle(kind === 'response' ? { result: body } : { error: body });
    });
  }
}

export const FUNCTION_ORIGIN = 'https://wiki.example.test';
export const FUNCTION_ADMIN = 'lambda-runtime-admin-token-0123456789';
const PAGE = { path: 'Guide/Start', content: '# Start\n\nServed through the Runtime API.' };

/**
 * A shared directory (the EFS mount) with wiki `main` holding one page; returns the function's
 * environment. On the PostgreSQL test run the platform store is a fresh database, passed as the
 * Pulumi program passes Aurora's (WIKIBOT_DATABASE_URL, a pool of 2).
 */
export async function prepareFunctionData(
  dataDir: string,
  indexDir: string,
): Promise<Record<string, string>> {
  const database: Record<string, string> =
    TEST_STORE === 'postgres'
      ? {
          WIKIBOT_DATABASE_URL: await createDatabase(inject('postgresAdminUrl')),
          WIKIBOT_DATABASE_POOL_SIZE: '2',
        }
      : {};
  const env = functionEnv(dataDir, {
    WIKIBOT_INDEX_DIR: indexDir,
    WIKIBOT_BASE_URL: FUNCTION_ORIGIN,
    WIKIBOT_ADMIN_TOKEN: FUNCTION_ADMIN,
    ...database,
  });
  await prepareSharedDirectory(env, async (setup) => {
    await setup.registry.create('main', { title: 'Main' });
    const wiki = await setup.registry.wiki('main');
    await wiki.writePage(PAGE.path, PAGE.content, { actor: { name: 'op', email: 'op@x' }, source: 'cli' });
  });
  return env;
}

/** What a function behind `runtime` must answer: /health, a page read, a write read back as a web page, git's ref advertisement, an unknown event. */
export async function expectFunctionServes(runtime: MockRuntimeApi): Promise<void> {
  const viaGateway = lambdaFetch(runtime.handler, FUNCTION_ORIGIN);
  const health = await viaGateway(`${FUNCTION_ORIGIN}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });

  const read = await viaGateway(`${FUNCTION_ORIGIN}/w/main/api/v1/pages/${PAGE.path}`, {
    headers: { authorization: `Bearer ${FUNCTION_ADMIN}` },
  });
  expect(read.status).toBe(200);
  expect(((await read.json()) as { content: string }).content).toBe(PAGE.content);

  // A write: git commits on the shared directory (in the image: a read-only root, HOME in /tmp).
  const written = await viaGateway(`${FUNCTION_ORIGIN}/w/main/api/v1/pages/Guide/Written`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${FUNCTION_ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: '# Written\n\nby the function' }),
  });
  expect(written.status).toBe(201);
  const page = await viaGateway(`${FUNCTION_ORIGIN}/w/main/Guide/Written`, {
    headers: { authorization: `Bearer ${FUNCTION_ADMIN}` },
  });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('by the function');

  // git over HTTP: upload-pack on the shared repository (under Lambda owned by the EFS access point's
  // uid, not by the function's own).
  const refs = await viaGateway(`${FUNCTION_ORIGIN}/w/main.git/info/refs?service=git-upload-pack`, {
    headers: { authorization: `Basic ${Buffer.from(`x:${FUNCTION_ADMIN}`).toString('base64')}` },
  });
  expect(refs.status).toBe(200);
  expect(await refs.text()).toMatch(/# service=git-upload-pack[\s\S]*refs\/heads\//);

  const unauthenticated = await viaGateway(`${FUNCTION_ORIGIN}/w/main/api/v1/pages/${PAGE.path}`);
  expect(unauthenticated.status).toBe(401);

  expect(await runtime.invoke({ unexpected: true })).toEqual({
    error: expect.objectContaining({
      errorType: 'Error',
      errorMessage: expect.stringMatching(/Unsupported event/),
    }),
  });
}

/** A mock of the X-Ray daemon Lambda runs beside a traced function: a UDP socket on loopback. */
export class MockXrayDaemon {
  readonly datagrams: Buffer[] = [];
  private readonly socket = createSocket('udp4').on('message', (message) => this.datagrams.push(message));

  /** Its address, for AWS_XRAY_DAEMON_ADDRESS. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  close(): void {
    this.socket.close();
  }
}

/** The function's environment for traces to `daemon` (what the Pulumi program and Lambda set). */
export const tracingEnv = (daemon: string) => ({
  WIKIBOT_TRACING: 'true',
  WIKIBOT_TRACING_EXPORTER: 'xray-daemon',
  AWS_XRAY_DAEMON_ADDRESS: daemon,
});

/** The first invocation's (/health) spans reached the daemon, framed as it expects, inside its X-Ray trace. */
export async function expectSpansAtDaemon(runtime: MockRuntimeApi, daemon: MockXrayDaemon): Promise<void> {
  const [traceId, parentId] = runtime.traces[0] as [string, string];
  const payload = (datagram: Buffer) =>
    Buffer.from(datagram.toString('utf8').split('\n')[1]?.slice(3) ?? '', 'base64');
  const datagram = await waitFor('spans of the first invocation at the mock X-Ray daemon', () =>
    daemon.datagrams.find((d) => payload(d).includes(Buffer.from(traceId, 'hex'))),
  );
  // The daemon's framing: a JSON header line, then `T1S` and an OTLP export request in base64.
  const [header, body = ''] = datagram.toString('utf8').split('\n');
  expect(JSON.parse(header as string)).toEqual({ format: 'json', version: 1 });
  expect(body.startsWith('T1S')).toBe(true);
  // Protocol buffers carry ids as raw bytes and names as UTF-8: the server span, parented on Lambda's.
  const request = payload(datagram);
  expect(request.includes(Buffer.from('GET /health'))).toBe(true);
  expect(request.includes(Buffer.from(parentId, 'hex'))).toBe(true);
}

/**
 * The real git CLI clones and pushes through the function: a loopback HTTP server stands in for API
 * Gateway, turning git's requests into events for `runtime` (binary bodies travel base64).
 */
export async function expectGitOverHttp(runtime: MockRuntimeApi, workDir: string): Promise<void> {
  const viaGateway = lambdaFetch(runtime.handler, FUNCTION_ORIGIN);
  const gateway = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const server = serve(
      {
        hostname: '127.0.0.1',
        port: 0,
        fetch: async (request: Request) => {
          const url = new URL(request.url);
          const body = ['GET', 'HEAD'].includes(request.method) ? null : await request.arrayBuffer();
          return viaGateway(`${FUNCTION_ORIGIN}${url.pathname}${url.search}`, {
            method: request.method,
            headers: request.headers,
            body,
          });
        },
      },
      () => resolve(server),
    );
  });
  try {
    const { port } = gateway.address() as AddressInfo;
    const clone = join(workDir, 'clone');
    await gitOk(workDir, [
      'clone',
      '--quiet',
      cloneUrl(`http://127.0.0.1:${port}`, 'main', FUNCTION_ADMIN),
      clone,
    ]);
    await mkdir(join(clone, 'Guide'), { recursive: true });
    await writeFile(join(clone, 'Guide/Pushed.md'), '# Pushed\n\nthrough git over the function\n');
    await gitOk(clone, ['add', '--', 'Guide/Pushed.md']);
    await gitOk(clone, ['commit', '--quiet', '-m', 'Add Guide/Pushed']);
    await gitOk(clone, ['push', '--quiet', 'origin', 'HEAD']);
    const read = await viaGateway(`${FUNCTION_ORIGIN}/w/main/api/v1/pages/Guide/Pushed`, {
      headers: { authorization: `Bearer ${FUNCTION_ADMIN}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { content: string }).content).toContain('through git over the function');
  } finally {
    await new Promise((resolve) => gateway.close(resolve));
  }
}
