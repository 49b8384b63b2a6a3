import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceDef, writeServiceDef } from '../../src/servicedef/load.js';
import { type ControlPlane, startControlPlane } from '../helpers/cli.js';
import { IdentityStub } from '../helpers/identity-stub.js';
import { cleanupPodman, podman, podmanAvailability } from '../helpers/podman.js';
import { tempDir, waitFor } from '../helpers/tmp.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** What the Dockerfile's default BASE_IMAGE resolves to; deploy/image/build-local-base.sh builds it. */
const BASE_IMAGE = 'docker.io/library/node:22-bookworm-slim';
/** The image's user (Dockerfile), which must own the data directory mcp mounts. */
const WIKIBOT_UID = 10001;

async function availability(): Promise<{ ok: boolean; reason: string }> {
  const podmanOk = await podmanAvailability();
  if (!podmanOk.ok) return podmanOk;
  const base = await podman('image', 'exists', BASE_IMAGE).then(
    () => ({ ok: true, reason: '' }),
    () => ({
      ok: false,
      reason: `no ${BASE_IMAGE} image (bash deploy/image/build-local-base.sh builds one)`,
    }),
  );
  if (!base.ok) console.warn(`wikibot image deploy test skipped: ${base.reason}`);
  return base;
}

const can = await availability();
const title = `mcp deploys the wikibot image from deploy/mcp-services/wikibot.toml${can.ok ? '' : ` (skipped: ${can.reason})`}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!can.ok)(title, () => {
  const prefix = `mcpwb${randomBytes(3).toString('hex')}`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;
  let plane: ControlPlane;
  let image = '';
  let imageWasThere = false;

  beforeAll(async () => {
    dir = await tempDir();
    identity = await new IdentityStub().start();
    identity.tokens.set('ops-token', { username: 'ops', roles: ['admin'], accountType: 'human' });
    plane = await startControlPlane({ dir: dir.path, identityUrl: identity.url, token: 'ops-token' });
  });

  afterAll(async () => {
    await plane?.close();
    await identity?.stop();
    // The image goes only if this test made it (its layers stay in podman's build cache).
    await cleanupPodman(prefix, image && !imageWasThere ? image : `localhost/${prefix}-none`);
    await dir?.cleanup();
  });

  it(
    'builds the image the definition names, deploys it and reaches /health and the API',
    async () => {
      const def = await loadServiceDef(join(REPO_ROOT, 'deploy/mcp-services/wikibot.toml'));
      const [component] = def.components;
      if (!component) throw new Error('deploy/mcp-services/wikibot.toml has no component');
      image = component.image;
      imageWasThere = await podman('image', 'exists', image).then(
        () => true,
        () => false,
      );
      // Layers are cached (.ci/run built the image already), so this is quick unless sources changed.
      await run('podman', ['build', '--format', 'docker', '--tag', image, REPO_ROOT], {
        timeout: 30 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });

      // This node's paths, a free port and its URL instead of the example's /srv/wikibot, 8080 and
      // public domain (wikibot refuses requests for hosts other than its base URL's).
      const port = await freePort();
      const data = join(dir.path, 'srv/wikibot/data');
      const config = join(dir.path, 'srv/wikibot/config');
      await mkdir(data, { recursive: true });
      await chown(data, WIKIBOT_UID, WIKIBOT_UID);
      await mkdir(config, { recursive: true });
      const adminToken = randomBytes(24).toString('hex');
      // The mounted wikibot.toml is read: the token it sets is the one the API accepts below.
      await writeFile(join(config, 'wikibot.toml'), `admin_token = "${adminToken}"\nlog_level = "warn"\n`);
      const service = `${prefix}-${def.name}`;
      await writeServiceDef(plane.servicesDir, {
        ...def,
        name: service,
        node: 'node1',
        components: [
          {
            ...component,
            ports: component.ports.map((p) => p.replace(/^127\.0\.0\.1:\d+:/, `127.0.0.1:${port}:`)),
            env: component.env.map((e) =>
              e.startsWith('WIKIBOT_BASE_URL=') ? `WIKIBOT_BASE_URL=http://127.0.0.1:${port}` : e,
            ),
            volumes: component.volumes.map((v) =>
              v
                .replace(/^\/srv\/wikibot\/data:/, `${data}:`)
                .replace(/^\/srv\/wikibot\/config:/, `${config}:`),
            ),
          },
        ],
      });

      const deployed = await plane.mcp('deploy', service);
      expect(deployed.stderr).toBe('');
      expect(deployed.code).toBe(0);
      expect(deployed.stdout).toMatch(
        new RegExp(`${component.name}\\s+${service}-${component.name}\\s+deployed\\s+running`),
      );

      const health = await waitFor(
        'wikibot to answer /health through the published port',
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/health`);
          return response.ok ? response.json() : undefined;
        },
        120_000,
      );
      expect(health).toEqual({ status: 'ok' });
      const pages = await fetch(`http://127.0.0.1:${port}/w/main/api/v1/pages`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(pages.status).toBe(200);
    },
    30 * 60_000,
  );
});
