import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../support/server.js';
import { TEST_STORE } from '../support/store.js';
import {
  expectFunctionServes,
  expectGitOverHttp,
  expectSpansAtDaemon,
  MockRuntimeApi,
  MockXrayDaemon,
  prepareFunctionData,
  tracingEnv,
} from './mockRuntimeApi.js';

/**
 * The image's Lambda entry (bin/wikibot-lambda.js: the Runtime API loop around the built handler) in a
 * process of its own, against a mock of the Lambda Runtime API on loopback. Needs `npm run build`.
 */
const ENTRY = fileURLToPath(new URL('../../bin/wikibot-lambda.js', import.meta.url));

let dir: string;
let runtime: MockRuntimeApi;
let child: ChildProcess;
let daemon: MockXrayDaemon;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wikibot-lambda-runtime-'));
  const env = await prepareFunctionData(join(dir, 'efs'), join(dir, 'tmp'));
  runtime = new MockRuntimeApi();
  const api = await runtime.listen();
  daemon = new MockXrayDaemon();
  const daemonAddress = await daemon.listen();
  child = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      ...env,
      AWS_LAMBDA_RUNTIME_API: api,
      AWS_LAMBDA_FUNCTION_NAME: 'wikibot',
      ...tracingEnv(daemonAddress),
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
    // The platform store is where the configuration puts it: on the PostgreSQL run, nothing on "EFS".
    expect(existsSync(join(dir, 'efs', 'platform.sqlite'))).toBe(TEST_STORE === 'sqlite');
  }, 120_000);

  it('lets the git CLI clone and push through the function', async () => {
    await expectGitOverHttp(runtime, dir);
  }, 120_000);

  it('sends its spans to the (mock) X-Ray daemon over UDP, inside each invocation’s X-Ray trace', async () => {
    await expectSpansAtDaemon(runtime, daemon);
  }, 120_000);
});
