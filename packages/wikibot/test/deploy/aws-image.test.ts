import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  expectFunctionServes,
  expectGitOverHttp,
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
/** Lambda runs an image's process as a sandbox user of its own (sbx_user1051). */
const LAMBDA_USER = '993:990';
/** Only root can hand the shared directory to another user; rootless podman runs as the caller's own. */
const asRoot = process.getuid?.() === 0;

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
    // Files owned by the access point's uid, the process another: the access point maps the
    // function's writes to its uid, a bind mount cannot, so the tree is opened to it.
    if (asRoot) await shareTree(join(dir, 'efs'), ACCESS_POINT_USER);
    runtime = new MockRuntimeApi();
    const api = await runtime.listen();
    daemon = new MockXrayDaemon();
    const daemonAddress = await daemon.listen();
    // As Lambda runs an image: a sandbox user, a read-only root with a writable /tmp, the
    // shared directory mounted at /mnt/efs. Host networking: the mock API listens on loopback.
    await podman([
      'run',
      '--detach',
      '--name',
      prefix,
      '--network',
      'host',
      '--read-only',
      ...(asRoot ? ['--user', LAMBDA_USER] : []),
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

  it('serves /health, reads, writes, git clone and push, reports an unknown event as an error, sends spans to the (mock) X-Ray daemon', async () => {
    try {
      await expectFunctionServes(runtime);
      await expectSpansAtDaemon(runtime, daemon);
      await mkdir(join(dir, 'client'));
      await expectGitOverHttp(runtime, join(dir, 'client'));
    } catch (error) {
      console.error(`container log:\n${await podman(['logs', prefix]).catch(String)}`);
      throw error;
    }
  }, 120_000);
});

/** Gives `path` to uid/gid `id`, and lets anyone write in it. */
async function shareTree(path: string, id: number): Promise<void> {
  await chown(path, id, id);
  await chmod(path, 0o777);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory()) await shareTree(join(path, entry.name), id);
    else {
      await chown(join(path, entry.name), id, id);
      await chmod(join(path, entry.name), (await stat(join(path, entry.name))).mode | 0o666);
    }
  }
}
