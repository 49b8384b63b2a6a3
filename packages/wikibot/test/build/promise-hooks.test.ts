import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

// On Node 20 and 22 the first run of any AsyncLocalStorage installs promise hooks for the life of the
// process, and every later `await` of every request pays for them (an API read ~25 % more CPU).
// hono/jsx runs each render in one; the bundle builds it without (bundle.mjs). Tracing passes its
// context explicitly (test/observability/metrics-traces.test.ts checks the same with it on).
const WATCH = fileURLToPath(new URL('../fixtures/report-async-local-storage.cjs', import.meta.url));
const ADMIN = 'admin-token-0123456789abcdef';
let dataDir: string;
let server: ServeProcess;

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-promise-hooks-');
  server = await serveProcess(['--data', dataDir, '--port', '0'], {
    WIKIBOT_ADMIN_TOKEN: ADMIN,
    NODE_OPTIONS: `--require ${WATCH}`,
  });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

it('serving page views, edits and API reads never runs an AsyncLocalStorage', async () => {
  const headers = { authorization: `Bearer ${ADMIN}` };
  for (const path of ['/w/main/', '/w/main/Home', '/w/main/-/edit/Home', '/w/main/api/v1/pages/Home']) {
    const res = await fetch(`${server.url}${path}`, { headers });
    const body = await res.text();
    expect(res.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
  }
  expect(server.errors()).toContain('AsyncLocalStorage watched');
  expect(server.errors()).not.toContain('AsyncLocalStorage.');
});
