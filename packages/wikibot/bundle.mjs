/**
 * Bundles the server and CLI (dist/cli/main.js, as compiled by tsc), and the AWS Lambda entry
 * (dist/lambda.js, export `handler`), with their dependencies into dist/bundle/: bin/wikibot.js (and
 * the Lambda runtime, at dist/bundle/lambda.js) loads one file instead of resolving and reading a
 * thousand modules at every start. Parts loaded on first use (the authorization server, the MCP
 * SDK, the Markdown renderer, embedding providers) become chunks of their own, loaded by the same
 * dynamic import().
 * Native modules and the largest lazily loaded SDKs stay in node_modules.
 *
 *   node bundle.mjs
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'dist', 'bundle');

/**
 * hono/jsx runs every render inside an AsyncLocalStorage, for context values read after an `await`
 * in async components (wikibot has none, and no hono/jsx context at all). On Node 20 and 22 the
 * first `run` of an AsyncLocalStorage installs promise hooks for the life of the process, so every
 * later `await` of every request costs several times more: after one page view an API read took
 * ~25 % more CPU. Without it hono/jsx uses its documented fallback (context within synchronous
 * rendering). The build fails if a hono release changes the probe, so that this is looked at again.
 */
const honoJsxWithoutAsyncLocalStorage = {
  name: 'hono-jsx-without-async-local-storage',
  setup(build) {
    build.onLoad({ filter: /[\\/]hono[\\/]dist[\\/]jsx[\\/]context\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const probe = 'const loadAsyncLocalStorage = () => {';
      if (!source.includes(probe))
        throw new Error(`${args.path}: hono/jsx's AsyncLocalStorage probe changed`);
      return { contents: source.replace(probe, `${probe}\n\treturn undefined;`), loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  plugins: [honoJsxWithoutAsyncLocalStorage],
  // The worker pool's threads load worker.js beside the module that starts them (src/work/pool.ts).
  entryPoints: {
    main: join(here, 'dist', 'cli', 'main.js'),
    worker: join(here, 'dist', 'work', 'worker.js'),
    lambda: join(here, 'dist', 'lambda.js'),
    'lambda-runtime': join(here, 'dist', 'lambdaRuntime.js'),
    // receive-pack's pre-receive hook imports it from beside the module that writes the hook.
    'push-hook': join(here, 'dist', 'wiki', 'push-hook.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // piscina starts its own thread script from beside its module, so it stays in node_modules too.
  // prom-client and OpenTelemetry are CommonJS loaded by import() when switched on: bundled, their
  // chunks would export only `default`, where Node's own loader gives the named exports.
  external: [
    'better-sqlite3',
    'prom-client',
    '@opentelemetry/*',
    'oidc-provider',
    'piscina',
    '@huggingface/transformers',
    '@aws-sdk/*',
    '@smithy/*',
  ],
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __wikibotCreateRequire } from 'node:module'; const require = __wikibotCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
