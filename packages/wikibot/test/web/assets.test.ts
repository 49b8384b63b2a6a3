import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientAssets } from '../../src/http/web/assets.js';

describe('client assets', () => {
  let dir: string;
  let app: Hono;
  let assets: ClientAssets;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wikibot-assets-'));
    await mkdir(join(dir, 'fonts'));
    await writeFile(join(dir, 'app.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
    await writeFile(join(dir, 'style.css'), 'body { color: red }');
    await writeFile(join(dir, 'fonts', 'f-1234.woff2'), Buffer.from([1, 2, 3]));
    assets = new ClientAssets(dir);
    app = new Hono();
    app.get('/-/assets/:hash/*', (c) =>
      assets.serve(c, c.req.param('hash'), c.req.path.split('/').slice(4).join('/')),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names every file under one content hash and caches it for a year', async () => {
    expect(assets.urls.app).toMatch(/^\/-\/assets\/[0-9a-f]{12}\/app\.js$/);
    expect(assets.urls.editor).toBeNull();
    const response = await app.request(assets.urls.style ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/css');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('body { color: red }');
  });

  it('serves files in folders next to the stylesheet (fonts) and compresses text for browsers that accept it', async () => {
    const font = await app.request(`/-/assets/${assets.hash}/fonts/f-1234.woff2`);
    expect(new Uint8Array(await font.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    const script = await app.request(assets.urls.app ?? '', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(script.headers.get('content-encoding')).toBe('gzip');
  });

  it('answers a stale hash or an unknown file with 404', async () => {
    expect((await app.request('/-/assets/000000000000/app.js')).status).toBe(404);
    expect((await app.request(`/-/assets/${assets.hash}/missing.js`)).status).toBe(404);
  });

  it('works without a built bundle: no URLs, so pages load no scripts', () => {
    const none = new ClientAssets(join(dir, 'not-built'));
    expect(none.built).toBe(false);
    expect(Object.values(none.urls).every((url) => url === null)).toBe(true);
  });
});
