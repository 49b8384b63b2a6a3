import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root: the build context of the Dockerfile. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** What the Dockerfile's default BASE_IMAGE resolves to (deploy/image/build-local-base.sh makes it). */
export const BASE_IMAGE = 'docker.io/library/node:22-bookworm-slim';
const CI_CONTAINERS_CONF = '/etc/containers/mcp-ci/containers.conf';

/** podman with an argv; rejects with podman's stderr. */
export async function podman(args: string[], timeoutMs = 120_000): Promise<string> {
  try {
    return (await run('podman', args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const failure = error as Error & { stderr?: string };
    throw new Error(
      `podman ${args.join(' ')}: ${failure.stderr?.trim().split('\n').slice(-5).join('\n') || failure.message}`,
    );
  }
}

/**
 * Whether the wikibot image can be built and run here, and if not why (also printed, so a skipped
 * suite is visible): podman must start a container from the Dockerfile's base image, which no
 * registry provides here, so .ci/run builds it first (deploy/image/build-local-base.sh).
 */
export async function imageAvailability(): Promise<{ ok: boolean; reason: string }> {
  // .ci/podman-setup writes this file and prints its path for CONTAINERS_CONF; use it if not exported.
  if (!process.env.CONTAINERS_CONF && existsSync(CI_CONTAINERS_CONF))
    process.env.CONTAINERS_CONF = CI_CONTAINERS_CONF;
  const availability = await probe();
  if (!availability.ok) console.warn(`container image tests skipped: ${availability.reason}`);
  return availability;
}

async function probe(): Promise<{ ok: boolean; reason: string }> {
  try {
    await run('podman', ['image', 'exists', BASE_IMAGE]);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT')
      return { ok: false, reason: 'podman is not installed (.ci/podman-setup installs it)' };
    return { ok: false, reason: `no ${BASE_IMAGE} image (bash deploy/image/build-local-base.sh builds one)` };
  }
  try {
    await run('podman', ['run', '--rm', '--network', 'none', BASE_IMAGE, 'node', '--version'], {
      timeout: 120_000,
    });
    return { ok: true, reason: '' };
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    const detail = failure.stderr?.trim().split('\n').at(-1) || failure.message;
    return { ok: false, reason: `podman cannot start ${BASE_IMAGE} (${detail}); run .ci/podman-setup` };
  }
}

/** Builds the repository's Dockerfile (layers cached by podman, so a rebuild of unchanged sources is quick). */
export async function buildImage(tag: string, target?: string): Promise<void> {
  const stage = target ? ['--target', target] : [];
  await podman(['build', '--format', 'docker', ...stage, '--tag', tag, REPO_ROOT], 30 * 60_000);
}

/** The host port podman published for a container port. */
export async function publishedPort(container: string, port: number): Promise<number> {
  const mapping = (await podman(['port', container, `${port}/tcp`])).trim().split('\n')[0] ?? '';
  const hostPort = Number(mapping.slice(mapping.lastIndexOf(':') + 1));
  if (!Number.isInteger(hostPort) || hostPort <= 0)
    throw new Error(`no published port for ${container}: ${mapping}`);
  return hostPort;
}
