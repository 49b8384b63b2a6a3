import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../search/support.js';
import { removeDir } from '../support/server.js';
import { expectFunctionServes, MockRuntimeApi, prepareFunctionData } from './mockRuntimeApi.js';

/**
 * The image's Lambda entry (bin/wikibot-lambda.js: the Runtime API loop around the built handler) in a
 * process of its own, against a mock of the Lambda Runtime API on loopback. Needs `npm run build`.
 */
const ENTRY = fileURLToPath(new URL('../../bin/wikibot-lambda.js', import.meta.url));

let dir: string;
let runtime: MockRuntimeApi;
let child: ChildProcess;
/** A mock of the X-Ray daemon Lambda runs beside a traced function: a UDP socket on loopback. */
let daemon: Socket;
const datagrams: Buffer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wikibot-lambda-runtime-'));
  const env = await prepareFunctionData(join(dir, 'efs'), join(dir, 'tmp'));
  runtime = new MockRuntimeApi();
  const api = await runtime.listen();
  daemon = createSocket('udp4').on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  child = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      ...env,
      AWS_LAMBDA_RUNTIME_API: api,
      AWS_LAMBDA_FUNCTION_NAME: 'wikibot',
      WIKIBOT_TRACING: 'true',
      WIKIBOT_TRACING_EXPORTER: 'xray-daemon',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code, signal) => runtime.exited(`the entry exited (${code ?? signal})`));
});

afterAll(async () => {
  child?.kill();
  await runtime?.close();
  daemon?.close();
  await removeDir(dir);
});

describe('the Lambda entry of the image, against a mock Lambda Runtime API (node process)', () => {
  it('takes invocations from /invocation/next and posts results to /response, failures to /error', async () => {
    await expectFunctionServes(runtime);
  }, 120_000);

  it('sends its spans to the (mock) X-Ray daemon over UDP, inside each invocation’s X-Ray trace', async () => {
    const [traceId, parentId] = runtime.traces[0] as [string, string]; // the /health invocation
    const spans = await waitFor('spans of the first invocation at the mock daemon', () => {
      const framed = datagrams.map((d) => d.toString('utf8'));
      return framed.find((d) =>
        Buffer.from(d.split('\n')[1]?.slice(3) ?? '', 'base64').includes(Buffer.from(traceId, 'hex')),
      );
    });
    // The daemon's framing: a JSON header line, then `T1S` and an OTLP export request in base64.
    const [header, body = ''] = spans.split('\n');
    expect(JSON.parse(header as string)).toEqual({ format: 'json', version: 1 });
    expect(body.startsWith('T1S')).toBe(true);
    const request = Buffer.from(body.slice(3), 'base64');
    // Protocol buffers carry ids as raw bytes and names as UTF-8: the server span, parented on Lambda's.
    expect(request.includes(Buffer.from('GET /health'))).toBe(true);
    expect(request.includes(Buffer.from(parentId, 'hex'))).toBe(true);
    expect(request.includes(Buffer.from('wikibot'))).toBe(true);
  }, 120_000);
});
