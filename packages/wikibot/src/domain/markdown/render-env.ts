import type { RenderOptions, TocEntry } from './types.js';

/** Per-render state handed to markdown-it as `env`, shared by this folder's plugins. */
export interface RenderEnv {
  readonly options: RenderOptions;
  readonly toc: TocEntry[];
  /** Heading ids handed out so far, to keep them unique. */
  readonly usedIds: Set<string>;
  /** Sanitized math HTML, indexed by the placeholders left in the page HTML. */
  readonly math: string[];
  /** Set by markdown-it-footnote when the page has footnotes. */
  footnotes?: { list?: unknown[] };
}

export function newRenderEnv(options: RenderOptions): RenderEnv {
  return { options, toc: [], usedIds: new Set(), math: [] };
}
