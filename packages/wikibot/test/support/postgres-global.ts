import type { TestProject } from 'vitest/node';
import { postgresBinDir, startPostgresCluster } from './postgres.js';

/** vitest globalSetup of the `postgres` project: one throwaway cluster for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const cluster = await startPostgresCluster(bin);
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
