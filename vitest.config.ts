import { configDefaults, defineConfig } from 'vitest/config';
import { postgresBinDir } from './packages/wikibot/test/support/postgres.js';

/** Tests of the platform store and everything on it, run a second time against PostgreSQL. */
const POSTGRES_SUITE = [
  'packages/wikibot/test/auth/**/*.test.ts',
  'packages/wikibot/test/oauth/**/*.test.ts',
  'packages/wikibot/test/cli/cli.test.ts',
  'packages/wikibot/test/mcp/access.test.ts',
  'packages/wikibot/test/platform/**/*.test.ts',
  'packages/wikibot/test/storage/first-start.test.ts',
  'packages/wikibot/test/storage/replicas.test.ts',
  'packages/wikibot/test/limits/store.test.ts',
  // The Lambda entry with its platform store on PostgreSQL, as on Aurora.
  'packages/wikibot/test/lambda/runtime.test.ts',
];
/** SQLite file permissions: nothing to do with PostgreSQL. */
const SQLITE_ONLY = ['packages/wikibot/test/auth/private-files.test.ts'];
/** Only meaningful with a shared store. */
const POSTGRES_ONLY = ['packages/wikibot/test/storage/replicas.test.ts'];

const postgres = postgresBinDir();
if (!postgres) {
  console.warn(
    'PostgreSQL store tests skipped: no server binaries under /usr/lib/postgresql (Debian package postgresql; .ci/system-deps installs it)',
  );
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // `wikibot` child processes never fetch the real embedding model (test/support/server.ts TEST_ENV).
    env: { WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: 'false' },
    // Imports its JSON schema without an import attribute (it expects a bundler): let vite load it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...POSTGRES_ONLY],
        },
      },
      ...(postgres
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                include: POSTGRES_SUITE,
                exclude: [...configDefaults.exclude, ...SQLITE_ONLY],
                env: { WIKIBOT_TEST_STORE: 'postgres' },
                globalSetup: ['packages/wikibot/test/support/postgres-global.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
