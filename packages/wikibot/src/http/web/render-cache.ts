import type { RenderedPage, TocEntry } from '../../domain/markdown/render.js';
import { lazy } from '../../lazy.js';
import type { Wiki } from '../../wiki/wiki.js';
import { attachmentBase, pageUrl } from './urls.js';

/** A page body rendered for the web: sanitized HTML, its contents, and what the page frame must load. */
export interface RenderedBody {
  html: string;
  toc: TocEntry[];
  hasMath: boolean;
}

interface Entry extends RenderedBody {
  /** Every wikilink target the HTML depends on and whether it existed (red link or not). */
  links: [target: string, exists: boolean][];
  bytes: number;
}

/** The Markdown renderer (markdown-it, KaTeX, highlight.js, sanitize-html), loaded when first needed. */
const renderer = lazy(async () => (await import('../../domain/markdown/render.js')).renderMarkdown);

/** Default memory for rendered pages: plenty for thousands of pages. */
export const DEFAULT_RENDER_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Renders page bodies through the one Markdown renderer and keeps the result, keyed by wiki, page path
 * and blob id (the content), least recently used first out, bounded by bytes. A hit is used only while
 * every wikilink in it still points at a page that exists (or still doesn't), so red links stay true
 * when pages are created, deleted or renamed elsewhere.
 */
export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly maxBytes = DEFAULT_RENDER_CACHE_BYTES) {}

  get bytes(): number {
    return this.size;
  }

  async page(wiki: Wiki, page: { path: string; body: string; blob: string }): Promise<RenderedBody> {
    const exists = await wiki.pageExistence();
    const key = `${wiki.slug}\0${page.path}\0${page.blob}`;
    const hit = this.entries.get(key);
    if (hit?.links.every(([target, existed]) => exists(target) === existed)) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const entry = await render(wiki, page.path, page.body, exists);
    this.remember(key, entry);
    return entry;
  }

  private remember(key: string, entry: Entry): void {
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

/** Render without caching (the editor's preview of unsaved text). */
export async function renderPreview(wiki: Wiki, path: string, body: string): Promise<RenderedBody> {
  return render(wiki, path, body, await wiki.pageExistence());
}

async function render(
  wiki: Wiki,
  path: string,
  body: string,
  exists: (path: string) => boolean,
): Promise<Entry> {
  const renderMarkdown = await renderer();
  const links = new Map<string, boolean>();
  const rendered: RenderedPage = renderMarkdown(body, {
    wikiLinkStyle: wiki.settings.linkStyle,
    attachmentBase: attachmentBase(wiki.slug, path),
    resolveWikiLink: (target) => {
      const page = target.replace(/^\/+|\/+$/g, '');
      const found = page !== '' && exists(page);
      links.set(page, found);
      return { href: pageUrl(wiki.slug, page), exists: found };
    },
  });
  const bytes = 2 * (rendered.html.length + JSON.stringify(rendered.toc).length) + 64 * links.size + 256;
  return { ...rendered, hasMath: rendered.html.includes('class="katex'), links: [...links], bytes };
}
