import { type Config, renderLimits } from '../../config.js';
import { escapeHtml } from '../../domain/markdown/escape-html.js';
import { RenderLimitExceeded, type RenderLimits } from '../../domain/markdown/limits.js';
import type { ResolvedWikiLink, TocEntry } from '../../domain/markdown/render.js';
import { wikiLinkTargets } from '../../domain/markdown/wikilink-rule.js';
import { Unavailable, WorkStopped } from '../../wiki/errors.js';
import type { PageRenderer, RenderedBody } from '../../wiki/types.js';
import type { Wiki } from '../../wiki/wiki.js';
import type { WorkPool } from '../../work/pool.js';
import { attachmentBase, pageUrl } from './urls.js';

interface Entry extends RenderedBody {
  /** Every wikilink target the HTML depends on and whether it existed (red link or not). */
  links: [target: string, exists: boolean][];
  bytes: number;
}

/**
 * A render stopped at its deadline (or memory limit), remembered for a while so that asking again
 * does not cost another deadline's worth of work. A render refused because the pool was busy is not.
 */
interface Stalled {
  stalled: string;
  until: number;
  bytes: number;
}

/** How pages are rendered: off the event loop, within limits and a deadline. */
export interface RenderSettings {
  pool: WorkPool;
  limits: RenderLimits;
  deadlineMs: number;
}

/** The render settings of the configuration, rendering in `pool`. */
export function renderSettings(config: Config, pool: WorkPool): RenderSettings {
  return {
    pool,
    limits: renderLimits(config),
    deadlineMs: config.render.deadline_seconds * 1000,
  };
}

/** Default memory for rendered pages: plenty for thousands of pages. */
export const DEFAULT_RENDER_CACHE_BYTES = 32 * 1024 * 1024;
const STALLED_MS = 60_000;

/**
 * Renders page bodies in the worker pool and keeps the result, keyed by wiki, page path and blob id
 * (the content), least recently used first out, bounded by bytes. A hit is used only while every
 * wikilink in it still points at a page that exists (or still doesn't), so red links stay true
 * when pages are created, deleted or renamed elsewhere. Concurrent requests for the same content
 * share one render. One per process, behind `Wiki.renderPage()`: the web view, REST `?format=html`
 * and every other door share it.
 */
export class RenderCache implements PageRenderer {
  private readonly entries = new Map<string, Entry | Stalled>();
  private readonly rendering = new Map<string, Promise<Entry>>();
  private size = 0;

  constructor(
    private readonly settings: RenderSettings,
    private readonly maxBytes = DEFAULT_RENDER_CACHE_BYTES,
  ) {}

  get bytes(): number {
    return this.size;
  }

  async page(wiki: Wiki, page: { path: string; body: string; blob: string }): Promise<RenderedBody> {
    const exists = await wiki.pageExistence();
    const key = `${wiki.slug}\0${page.path}\0${page.blob}`;
    const hit = this.entries.get(key);
    if (hit && 'stalled' in hit && hit.until > Date.now()) throw new Unavailable(hit.stalled);
    if (hit && 'links' in hit && hit.links.every(([target, existed]) => exists(target) === existed)) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = this.rendering.get(key);
    if (pending) return pending;
    const rendering = this.render(wiki, page.path, page.body, exists)
      .then((entry) => {
        this.remember(key, entry);
        return entry;
      })
      .catch((error: unknown) => {
        if (error instanceof WorkStopped) {
          this.remember(key, { stalled: error.message, until: Date.now() + STALLED_MS, bytes: 256 });
        }
        throw error;
      })
      .finally(() => this.rendering.delete(key));
    this.rendering.set(key, rendering);
    return rendering;
  }

  /** Render without caching (the editor's preview of unsaved text). */
  async preview(wiki: Wiki, path: string, body: string): Promise<RenderedBody> {
    return this.render(wiki, path, body, await wiki.pageExistence());
  }

  private async render(
    wiki: Wiki,
    path: string,
    body: string,
    exists: (path: string) => boolean,
  ): Promise<Entry> {
    const { pool, limits, deadlineMs } = this.settings;
    const links = new Map<string, boolean>();
    const wikiLinks = new Map<string, ResolvedWikiLink>();
    const targets = wikiLinkTargets(body, wiki.settings.linkStyle);
    if (targets.size > limits.maxWikiLinks) {
      const exceeded = new RenderLimitExceeded('maxWikiLinks', targets.size, limits.maxWikiLinks);
      return sourceEntry(body, exceeded.message);
    }
    for (const target of targets) {
      const page = target.replace(/^\/+|\/+$/g, '');
      const found = page !== '' && exists(page);
      links.set(page, found);
      wikiLinks.set(target, { href: pageUrl(wiki.slug, page), exists: found });
    }
    const result = await pool.run(
      'render',
      {
        markdown: body,
        options: {
          wikiLinkStyle: wiki.settings.linkStyle,
          attachmentBase: attachmentBase(wiki.slug, path),
          limits,
        },
        wikiLinks,
      },
      { ms: deadlineMs, what: 'Rendering this page' },
    );
    if ('exceeded' in result) return sourceEntry(body, result.exceeded.message);
    const { html, toc } = result.page;
    return {
      html,
      toc,
      hasMath: html.includes('class="katex'),
      limitExceeded: null,
      links: [...links],
      bytes: entryBytes(html, toc, links.size),
    };
  }

  private remember(key: string, entry: Entry | Stalled): void {
    const old = this.entries.get(key);
    if (old) {
      this.size -= old.bytes;
      this.entries.delete(key);
    }
    if (entry.bytes > this.maxBytes) return;
    this.entries.set(key, entry);
    this.size += entry.bytes;
    for (const [oldest, value] of this.entries) {
      if (this.size <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.size -= value.bytes;
    }
  }
}

function entryBytes(html: string, toc: TocEntry[], links: number): number {
  return 2 * (html.length + JSON.stringify(toc).length) + 64 * links + 256;
}

/** A page over a render limit: the notice, then its Markdown source, escaped. */
function sourceEntry(body: string, message: string): Entry {
  const html =
    `<p class="flash warn" role="status">This page is shown as its Markdown source. ${escapeHtml(message)}</p>\n` +
    `<pre class="page-source"><code>${escapeHtml(body)}</code></pre>\n`;
  return { html, toc: [], hasMath: false, limitExceeded: message, links: [], bytes: entryBytes(html, [], 0) };
}
