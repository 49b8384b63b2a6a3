/**
 * Bundles the browser side of the web UI into dist/web-client/: app.js (every page), editor.js (the edit
 * page: CodeMirror 6), style.css, katex.css with its fonts, and Mermaid's own browser build. The server
 * serves that folder under one content-hashed URL with long cache headers.
 *
 *   node client/build.mjs
 */
import { chmod, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Where the server looks for the bundle (see src/http/web/assets.ts). */
export const CLIENT_OUT_DIR = join(here, '..', 'dist', 'web-client');

/** Build into a staging folder, then swap it in, so a running server never sees half a bundle. */
export async function buildClient(outDir = CLIENT_OUT_DIR) {
  await mkdir(dirname(outDir), { recursive: true });
  const staging = await mkdtemp(`${outDir}.staging-`);
  await chmod(staging, 0o755);
  try {
    await build({
      entryPoints: {
        app: join(here, 'src', 'app.ts'),
        editor: join(here, 'src', 'editor.ts'),
        style: join(here, 'style.css'),
        katex: require.resolve('katex/dist/katex.min.css'),
      },
      outdir: staging,
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['chrome111', 'firefox113', 'safari16.4'],
      loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
      assetNames: 'fonts/[name]-[hash]',
      legalComments: 'none',
      logLevel: 'warning',
    });
    await cp(require.resolve('mermaid/dist/mermaid.min.js'), join(staging, 'mermaid.js'));
    const previous = `${outDir}.previous-${process.pid}`;
    await rename(outDir, previous).catch((error) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, outDir);
    await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await buildClient();
  console.log(`web client built into ${out}`);
}
