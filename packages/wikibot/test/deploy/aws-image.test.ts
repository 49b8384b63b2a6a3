import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  expectFunctionServes,
  expectSpansAtDaemon,
  FUNCTION_ADMIN,
  FUNCTION_ORIGIN,
  MockRuntimeApi,
  MockXrayDaemon,
  prepareFunctionData,
  tracingEnv,
} from '../lambda/mockRuntimeApi.js';
import { buildImage, imageAvailability, podman } from '../support/podman.js';
import { removeDir } from '../support/server.js';

const availability = await imageAvailability();
const title = `the Lambda image (Dockerfile target \`lambda\`) with real podman, against a mock Lambda Runtime API${availability.ok ? '' : ` (skipped: ${availability.reason})`}`;

/** The uid/gid the EFS access point (deploy/aws) gives every file operation. */
const ACCESS_POINT_USER = 1000;
/** Only root can hand the shared directory to that user; rootless podman runs as the caller's own. */
const asAccessPointUser = process.getuid?.() === 0;

describe.skipIf(!availability.ok)(title, () => {
  const prefix = `wblambda${randomBytes(3).toString('hex')}`;
  const image = `localhost/${prefix}:test`;
  let dir: string;
  let runtime: MockRuntimeApi;
  let daemon: MockXrayDaemon;

  beforeAll(async () => {
    await buildImage(image, 'lambda');
    dir = await mkdtemp(join(tmpdir(), 'wikibot-lambda-image-'));
    await prepareFunctionData(join(dir, 'efs'), join(dir, 'operator-index'));
    if (asAccessPointUser) await chownTree(join(dir, 'efs'), ACCESS_POINT_USER);
    runtime = new MockRuntimeApi();
    const api = await runtime.listen();
    daemon = new MockXrayDaemon();
    const daemonAddress = await daemon.listen();
    // As Lambda runs an image: a user of its own, a read-only root with a writable /tmp, the
    // shared directory mounted at /mnt/efs. Host networking: the mock API listens on loopback.
    await podman([
      'run',
      '--detach',
      '--name',
      prefix,
      '--network',
      'host',
      '--read-only',
      ...(asAccessPointUser ? ['--user', `${ACCESS_POINT_USER}:${ACCESS_POINT_USER}`] : []),
      '--volume',
      `${join(dir, 'efs')}:/mnt/efs`,
      '--env',
      `AWS_LAMBDA_RUNTIME_API=${api}`,
      '--env',
      'AWS_LAMBDA_FUNCTION_NAME=wikibot',
      '--env',
      `WIKIBOT_BASE_URL=${FUNCTION_ORIGIN}`,
      '--env',
      `WIKIBOT_ADMIN_TOKEN=${FUNCTION_ADMIN}`,
      '--env',
      'WIKIBOT_EMBEDDING_PROVIDER=none',
      '--env',
      'WIKIBOT_LOG_LEVEL=warn',
      ...Object.entries(tracingEnv(daemonAddress)).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
      image,
    ]);
  }, 30 * 60_000);

  afterAll(async () => {
    await podman(['rm', '--force', '--time', '0', prefix]).catch(() => undefined);
    await podman(['rmi', '--force', image]).catch(() => undefined);
    await runtime?.close();
    daemon?.close();
    if (dir) await removeDir(dir);
  });

  it('serves /health, a page read and a write, reports an unknown event as an error, sends spans to the (mock) X-Ray daemon', async () => {
    try {
      await expectFunctionServes(runtime);
      await expectSpansAtDaemon(runtime, daemon);
    } catch (error) {
      console.error(`container log:\n${await podman(['logs', prefix]).catch(String)}`);
      throw error;
    }
  }, 120_000);
});

async function chownTree(path: string, id: number): Promise<void> {
  await chown(path, id, id);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory()) await chownTree(join(path, entry.name), id);
    else await chown(join(path, entry.name), id, id);
  }
}
