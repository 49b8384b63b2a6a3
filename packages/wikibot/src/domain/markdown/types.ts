import type { RenderLimits } from './limits.js';

/** Resolved target of a wikilink: where it points and whether that page exists. */
export interface ResolvedWikiLink {
  href: string;
  exists: boolean;
}

export interface RenderOptions {
  /**
   * Resolve a wikilink page name (without any `#section`) to its URL and whether the page exists
   * (missing pages get the "red link" class `wikilink missing`).
   */
  resolveWikiLink(target: string): ResolvedWikiLink;
  /**
   * Base URL for relative attachment links of this page, e.g. "/w/main/Foo/Bar/". When set, relative
   * image sources and relative links whose last segment has a file extension other than `.md` are
   * resolved against it; other relative links (to pages) are left for the browser to resolve.
   */
  attachmentBase?: string;
  /** `[[Title|Page]]` (default, Otterwiki) or `[[Page|Title]]`. */
  wikiLinkStyle?: 'title-page' | 'page-title';
  /** What one page may ask of the renderer (default DEFAULT_RENDER_LIMITS). */
  limits?: RenderLimits;
}

export interface TocEntry {
  level: number;
  /** Plain text of the heading (not HTML: escape it when rendering). */
  title: string;
  /** The heading's `id` attribute in the rendered HTML. */
  id: string;
}

export interface RenderedPage {
  /** Sanitized HTML of the page body. */
  html: string;
  toc: TocEntry[];
}
