import { markdownParser } from './markdown-parser.js';
import { fillMathPlaceholders } from './math.js';
import { newRenderEnv } from './render-env.js';
import { sanitizePageHtml } from './sanitize-page.js';
import type { RenderedPage, RenderOptions } from './types.js';

export type { RenderedPage, RenderOptions, ResolvedWikiLink, TocEntry } from './types.js';

/**
 * Renders a page body (frontmatter already stripped) to sanitized HTML plus its table of contents.
 * Pure: no I/O; wikilinks are resolved through `options.resolveWikiLink`.
 */
export function renderMarkdown(markdownBody: string, options: RenderOptions): RenderedPage {
  if (typeof markdownBody !== 'string') {
    throw new TypeError(`renderMarkdown: markdownBody must be a string, got ${typeof markdownBody}`);
  }
  const env = newRenderEnv(options);
  const html = sanitizePageHtml(markdownParser.render(markdownBody, env));
  return { html: fillMathPlaceholders(html, env.math), toc: env.toc };
}
