import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './net.js';

const run = promisify(execFile);

/** The newest Debian PostgreSQL server binaries (package `postgresql`), or null when not installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

export interface PostgresCluster {
  /** postgres://… of the maintenance database, as the cluster's superuser. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster: `initdb` into a temp directory, listening on a free port on
 * 127.0.0.1 with password authentication. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` system user (which the Debian package creates).
 */
export async function startPostgresCluster(bin: string): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wikibot-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await systemUser('postgres') : null;
  const as = (command: string, args: string[]) =>
    owner
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args);
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, password, { mode: 0o600 });
  if (owner) await Promise.all([chown(dir, owner.uid, owner.gid), chown(passwordFile, owner.uid, owner.gid)]);
  const data = join(dir, 'data');
  await as(
    'initdb',
    [
      ['-D', data],
      ['-U', 'wikibot', '--pwfile', passwordFile, '-A', 'scram-sha-256'],
      ['-E', 'UTF8', '--locale', 'C', '--no-sync'],
    ].flat(),
  );
  const port = await freePort();
  const settings = [
    `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir}`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300',
  ].join(' ');
  await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  return {
    adminUrl: `postgres://wikibot:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A new empty database on the cluster; returns its URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `wikibot_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', name]).catch(() => {
    throw new Error(`PostgreSQL cannot run as root and there is no system user "${name}" to run it as`);
  });
  const gid = (await run('id', ['-g', name])).stdout;
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}
