import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { PACKAGE_ROOT } from '../../packageRoot.js';

/** Where client/build.mjs puts the browser bundle: the package's dist/web-client. */
const BUNDLE_DIR = join(PACKAGE_ROOT, 'dist', 'web-client');

export const ASSET_PREFIX = '/-/assets/';

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
}

/** The asset files the pages link to (null when the bundle has not been built: pages work without). */
export interface AssetUrls {
  app: string | null;
  editor: string | null;
  style: string | null;
  katex: string | null;
  mermaid: string | null;
}

/**
 * The client bundle, read once: every file is served at `/-/assets/<build hash>/<name>` with a year
 * of immutable caching; a new build gets a new hash, so browsers never see stale files.
 */
export class ClientAssets {
  private readonly files = new Map<string, Asset>();
  readonly hash: string;
  readonly urls: AssetUrls;

  constructor(dir = BUNDLE_DIR) {
    const digest = createHash('sha256');
    for (const file of existsSync(dir) ? listFiles(dir) : []) {
      const name = relative(dir, file).split(sep).join('/');
      const body = readFileSync(file);
      digest.update(name).update('\0').update(body);
      this.files.set(name, { body, type: getMimeType(name) ?? 'application/octet-stream' });
    }
    this.hash = digest.digest('hex').slice(0, 12);
    const url = (name: string) => (this.files.has(name) ? `${ASSET_PREFIX}${this.hash}/${name}` : null);
    this.urls = {
      app: url('app.js'),
      editor: url('editor.js'),
      style: url('style.css'),
      katex: url('katex.css'),
      mermaid: url('mermaid.js'),
    };
  }

  get built(): boolean {
    return this.files.size > 0;
  }

  /** Answer `/-/assets/<hash>/<name>`; a stale hash or unknown name is a 404. */
  serve(c: Context, hash: string, name: string): Response {
    const asset = hash === this.hash ? this.files.get(name) : undefined;
    if (!asset) return c.text('Not found', 404);
    const headers: Record<string, string> = {
      'content-type': asset.type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    const compressible = /^(text\/|application\/(javascript|json))/.test(asset.type);
    if (compressible && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      asset.gzipped ??= gzipSync(asset.body);
      return new Response(new Uint8Array(asset.gzipped), {
        headers: { ...headers, 'content-encoding': 'gzip' },
      });
    }
    return new Response(new Uint8Array(asset.body), { headers });
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
