import type { Token } from 'markdown-it';

/**
 * What one page may ask of the renderer. Each bounds a cost that grows with the page rather than
 * with its size in bytes: KaTeX per formula, the sanitizer per raw HTML tag, the footnote list,
 * and output that references and formulas can make far larger than the source.
 */
export interface RenderLimits {
  maxFootnotes: number;
  maxMath: number;
  maxHtmlTags: number;
  maxHtmlBytes: number;
  /** Distinct wikilink targets, each looked up in the index before rendering. */
  maxWikiLinks: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  maxFootnotes: 2_000,
  maxMath: 1_000,
  maxHtmlTags: 10_000,
  maxHtmlBytes: 8 * 1024 * 1024,
  maxWikiLinks: 5_000,
};

/** The configuration key of each limit (`[render]` section), named in messages. */
export const LIMIT_KEYS: Record<keyof RenderLimits, string> = {
  maxFootnotes: 'render.max_footnotes',
  maxMath: 'render.max_math',
  maxHtmlTags: 'render.max_html_tags',
  maxHtmlBytes: 'render.max_html_bytes',
  maxWikiLinks: 'render.max_wikilinks',
};

const WHAT: Record<keyof RenderLimits, string> = {
  maxFootnotes: 'footnotes',
  maxMath: 'math formulas',
  maxHtmlTags: 'raw HTML tags',
  maxHtmlBytes: 'bytes of rendered HTML',
  maxWikiLinks: 'distinct wikilink targets',
};

/** A page over one of the limits: which, by how much, and a message that names it. */
export class RenderLimitExceeded extends Error {
  override readonly name = 'RenderLimitExceeded';
  constructor(
    readonly limit: keyof RenderLimits,
    readonly found: number,
    readonly max: number,
  ) {
    super(
      `Too much to render: ${found.toLocaleString('en')} ${WHAT[limit]}, the limit is ${max.toLocaleString('en')} (${LIMIT_KEYS[limit]}).`,
    );
  }
}

export function checkLimit(limits: RenderLimits, limit: keyof RenderLimits, found: number): void {
  if (found > limits[limit]) throw new RenderLimitExceeded(limit, found, limits[limit]);
}

const HTML_TAG = /<[a-z/!?]/gi;

/** Counts what the limits bound in parsed tokens, before anything costly is rendered. */
export function checkParsedTokens(tokens: readonly Token[], footnotes: number, limits: RenderLimits): void {
  checkLimit(limits, 'maxFootnotes', footnotes);
  let math = 0;
  let tags = 0;
  const visit = (list: readonly Token[]) => {
    for (const token of list) {
      if (token.type === 'math_inline' || token.type === 'math_block') math++;
      else if (token.type === 'fence' && token.info.trim().toLowerCase() === 'math') math++;
      else if (token.type === 'html_block' || token.type === 'html_inline') {
        tags += token.content.match(HTML_TAG)?.length ?? 0;
      }
      if (token.children) visit(token.children);
    }
  };
  visit(tokens);
  checkLimit(limits, 'maxMath', math);
  checkLimit(limits, 'maxHtmlTags', tags);
}
