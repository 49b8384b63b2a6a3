import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CI_CONTAINERS_CONF = '/etc/containers/mcp-ci/containers.conf';

/** podman with the test's argv; rejects with podman's stderr. */
export async function podman(...args: string[]): Promise<string> {
  try {
    return (await run('podman', args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const failure = error as Error & { stderr?: string };
    throw new Error(`podman ${args.join(' ')}: ${failure.stderr?.trim() || failure.message}`);
  }
}

/**
 * Whether real podman can run containers here, and if not, why. The reason is also printed, so a
 * skipped podman suite is visible in the test output.
 */
export async function podmanAvailability(): Promise<{ ok: boolean; reason: string }> {
  // .ci/podman-setup writes this file and prints its path for CONTAINERS_CONF; use it if not exported.
  if (!process.env.CONTAINERS_CONF && existsSync(CI_CONTAINERS_CONF))
    process.env.CONTAINERS_CONF = CI_CONTAINERS_CONF;
  const availability = await probePodman();
  if (!availability.ok) console.warn(`podman integration tests skipped: ${availability.reason}`);
  return availability;
}

async function probePodman(): Promise<{ ok: boolean; reason: string }> {
  try {
    await access('/bin/busybox');
  } catch {
    return {
      ok: false,
      reason: 'no /bin/busybox to build test images from (apt-get install busybox-static)',
    };
  }
  const rootfs = await mkdtemp(join(tmpdir(), 'mcp-podman-probe-'));
  try {
    await mkdir(join(rootfs, 'bin'));
    await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    const probe = ['run', '--rm', '--network', 'none', '--rootfs', rootfs, '/bin/busybox', 'true'];
    await run('podman', probe, { timeout: 120_000 });
    return { ok: true, reason: '' };
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string; message: string };
    if (failure.code === 'ENOENT')
      return { ok: false, reason: 'podman is not installed (.ci/podman-setup installs it)' };
    const detail = failure.stderr?.trim().split('\n').at(-1) || failure.message;
    return {
      ok: false,
      reason: `podman cannot start a container (${detail}); run .ci/podman-setup and export CONTAINERS_CONF`,
    };
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

const APPLETS = ['sh', 'sleep', 'httpd', 'cat', 'echo', 'true'];

/**
 * Builds a local image from a static busybox: /bin/busybox plus applet symlinks, imported with
 * `podman import`. Registries are never contacted.
 */
export async function buildBusyboxImage(workDir: string, reference: string): Promise<void> {
  const root = join(workDir, 'rootfs');
  await mkdir(join(root, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet));
  const tarball = join(workDir, 'rootfs.tar');
  await run('tar', ['-C', root, '-cf', tarball, '.']);
  await podman('import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tarball, reference);
  await rm(root, { recursive: true, force: true });
}

/** Removes every container whose name starts with `prefix`, then the image. */
export async function cleanupPodman(prefix: string, image: string): Promise<void> {
  const names = (await podman('ps', '--all', '--format', '{{.Names}}').catch(() => ''))
    .split('\n')
    .filter((name) => name.startsWith(prefix));
  if (names.length > 0) await podman('rm', '--force', '--time', '0', ...names).catch(() => undefined);
  await podman('rmi', '--force', image).catch(() => undefined);
}

/** Container name → state, as podman lists them now. */
export async function containerStates(prefix: string): Promise<Map<string, string>> {
  const list = JSON.parse((await podman('ps', '--all', '--format', 'json')) || '[]') as {
    Names: string[];
    State: string;
  }[];
  return new Map(
    list
      .filter((c) => (c.Names[0] ?? '').startsWith(prefix))
      .map((c) => [c.Names[0] ?? '', c.State] as const),
  );
}

/** A command that exits at once on SIGTERM, so stopping is fast. */
export function idleCommand(): string[] {
  return ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"];
}
