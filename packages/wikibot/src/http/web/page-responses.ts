import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Chrome } from './chrome.js';
import type { WebContext } from './env.js';

/** A whole page view as sent: its bytes, gzipped on first demand, and its entity tag. */
interface Entry {
  html: Buffer;
  gzipped: Buffer | null;
  etag: string;
  bytes: number;
}

/** Default memory for whole page views: hundreds of views of pages with a large sidebar. */
export const DEFAULT_PAGE_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Whole page views, kept by everything their HTML depends on: the wiki's version (the page, the
 * sidebar and every link's colour change only with it) and the frame around the page (the request's
 * path and query, who is looking and what they may do, the theme). A repeated view is then bytes
 * already in memory, sent as they are, gzipped for browsers that take it, or 304 when unchanged.
 * Least recently used first out, bounded by bytes. A page with a one-time message is never kept.
 */
export class PageResponses {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly maxBytes = DEFAULT_PAGE_RESPONSE_BYTES) {}

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
  send(c: WebContext, key: string): Response | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return this.respond(c, key, entry);
  }

  /** Keep the page view `html` under `key` and answer with it. */
  store(c: WebContext, key: string, html: string): Response {
    const bytes = Buffer.from(html, 'utf8');
    const etag = `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
    const entry: Entry = { html: bytes, gzipped: null, etag, bytes: 0 };
    const old = this.entries.get(key);
    if (old) this.forget(key, old);
    this.entries.set(key, entry);
    this.grow(entry, bytes.length + key.length);
    return this.respond(c, key, entry);
  }

  private respond(c: WebContext, key: string, entry: Entry): Response {
    c.header('ETag', entry.etag);
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('if-none-match') === entry.etag) return c.body(null, 304);
    c.header('Content-Type', 'text/html; charset=UTF-8');
    if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(bytesOf(entry.html));
    if (!entry.gzipped) {
      entry.gzipped = gzipSync(entry.html);
      if (this.entries.get(key) === entry) this.grow(entry, entry.gzipped.length);
    }
    c.header('Content-Encoding', 'gzip');
    return c.body(bytesOf(entry.gzipped));
  }

  /** Count `extra` more bytes for `entry` (kept), then forget the least recently used beyond the bound. */
  private grow(entry: Entry, extra: number): void {
    entry.bytes += extra;
    this.size += extra;
    for (const [oldest, value] of this.entries) {
      if (this.size <= this.maxBytes) break;
      this.forget(oldest, value);
    }
  }

  private forget(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.size -= entry.bytes;
  }
}

/** The buffer's bytes as the Uint8Array a response body takes (no copy). */
function bytesOf(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.length);
}
