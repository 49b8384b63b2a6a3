import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { BoundedCache } from '../../wiki/boundedCache.js';
import type { Chrome } from './chrome.js';
import type { WebContext } from './env.js';

const gzipped = promisify(gzip);

/** A whole page view as sent, gzipped (a tenth of its size: the sidebar repeats), and its entity tag. */
interface Entry {
  gzipped: Buffer;
  etag: string;
  bytes: number;
}

/** Default memory for whole page views: over a thousand views of pages with a large sidebar. */
export const DEFAULT_PAGE_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Whole page views, kept by everything their HTML depends on: the wiki's version (the page, the
 * sidebar and every link's colour change only with it) and the frame around the page (the request's
 * path and query, who is looking and what they may do, the theme). A repeated view is then bytes
 * already in memory: sent as they are to browsers (which all take gzip), unzipped for a client that
 * does not, or 304 when unchanged. Kept gzipped, as a large wiki's sidebar makes a view ~130 KB of
 * HTML and ~12 KB gzipped. Zipping (~1 ms for such a view) runs on libuv's threads; unzipping
 * (~0.15 ms) runs in place, where handing it to a thread and back cost twice as much.
 * Least recently used first out, bounded by bytes. A page with a one-time message is never kept.
 */
export class PageResponses {
  private readonly entries: BoundedCache<string, Entry>;

  constructor(maxBytes = DEFAULT_PAGE_RESPONSE_BYTES) {
    this.entries = new BoundedCache(maxBytes, (entry) => entry.bytes);
  }

  /** The cache key of a page view in `frame` (sidebar not yet added) at `version`; null: not cacheable. */
  key(frame: Chrome, version: string | null): string | null {
    if (frame.flash || !frame.wiki) return null;
    const { wiki, user } = frame;
    const { can } = wiki;
    return [
      wiki.slug,
      version ?? '',
      frame.here,
      user?.username ?? '',
      frame.csrf ?? '',
      frame.theme ?? '',
      wiki.title,
      `${wiki.isPublic}${can.read}${can.write}${can.admin}`,
    ].join('\0');
  }

  /** The response for `key`, if this page view was kept. */
  async send(c: WebContext, key: string): Promise<Response | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    const answered = this.answerUnchanged(c, entry.etag);
    if (answered) return answered;
    if (takesGzip(c)) return this.zipped(c, entry.gzipped);
    return c.body(bytesOf(gunzipSync(entry.gzipped)));
  }

  /** Keep the page view `html` under `key` and answer with it. */
  async store(c: WebContext, key: string, html: string): Promise<Response> {
    const bytes = Buffer.from(html, 'utf8');
    const etag = `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
    const zipped = await gzipped(bytes);
    const entry: Entry = { gzipped: zipped, etag, bytes: zipped.length + key.length };
    this.entries.set(key, entry);
    const answered = this.answerUnchanged(c, etag);
    if (answered) return answered;
    return takesGzip(c) ? this.zipped(c, entry.gzipped) : c.body(bytesOf(bytes));
  }

  /** Sets the headers every answer carries; a 304 when the client holds this version already. */
  private answerUnchanged(c: WebContext, etag: string): Response | null {
    c.header('ETag', etag);
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'text/html; charset=UTF-8');
    return null;
  }

  private zipped(c: WebContext, body: Buffer): Response {
    c.header('Content-Encoding', 'gzip');
    return c.body(bytesOf(body));
  }

}

function takesGzip(c: WebContext): boolean {
  return /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
}

/** The buffer's bytes as the Uint8Array a response body takes (no copy). */
function bytesOf(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.length);
}
