import { checkLimit, checkParsedTokens, DEFAULT_RENDER_LIMITS } from './limits.js';
import { markdownParser } from './markdown-parser.js';
import { fillMathPlaceholders } from './math.js';
import { newRenderEnv } from './render-env.js';
import { sanitizePageHtml } from './sanitize-page.js';
import type { RenderedPage, RenderOptions } from './types.js';

export type { RenderedPage, RenderOptions, ResolvedWikiLink, TocEntry } from './types.js';

/**
 * Renders a page body (frontmatter already stripped) to sanitized HTML plus its table of contents.
 * Pure: no I/O; wikilinks are resolved through `options.resolveWikiLink`. A page over one of
 * `options.limits` (default DEFAULT_RENDER_LIMITS) throws RenderLimitExceeded: counts are checked
 * after parsing, before formulas are typeset and raw HTML is sanitized, and the HTML size before
 * it is sanitized.
 */
export function renderMarkdown(markdownBody: string, options: RenderOptions): RenderedPage {
  if (typeof markdownBody !== 'string') {
    throw new TypeError(`renderMarkdown: markdownBody must be a string, got ${typeof markdownBody}`);
  }
  const limits = options.limits ?? DEFAULT_RENDER_LIMITS;
  const env = newRenderEnv(options);
  const tokens = markdownParser.parse(markdownBody, env);
  checkParsedTokens(tokens, env.footnotes?.list?.length ?? 0, limits);
  const unsanitized = markdownParser.renderer.render(tokens, markdownParser.options, env);
  const mathBytes = env.math.reduce((sum, html) => sum + html.length, 0);
  checkLimit(limits, 'maxHtmlBytes', Buffer.byteLength(unsanitized) + mathBytes);
  const html = sanitizePageHtml(unsanitized);
  return { html: fillMathPlaceholders(html, env.math), toc: env.toc };
}
