import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // `wikibot` child processes never fetch the real embedding model (test/support/server.ts TEST_ENV).
    env: { WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: 'false' },
    reporters: process.env.CI ? ['default'] : ['default'],
    // Imports its JSON schema without an import attribute (it expects a bundler): let vite load it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
