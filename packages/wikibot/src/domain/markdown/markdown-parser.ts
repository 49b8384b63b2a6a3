import { alert } from '@mdit/plugin-alert';
import { tasklist } from '@mdit/plugin-tasklist';
import { tex } from '@mdit/plugin-tex';
import MarkdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import mark from 'markdown-it-mark';
import { attachmentLinksPlugin } from './attachment-links.js';
import { highlightFence } from './code-highlight.js';
import { linearFootnoteTailPlugin } from './footnote-tail.js';
import { gfmAutolinksPlugin } from './gfm-autolinks.js';
import { headingIdsPlugin } from './heading-ids.js';
import { mathPlaceholder } from './math.js';
import type { RenderEnv } from './render-env.js';
import { tableAlignPlugin } from './table-align.js';
import { wikiLinkPlugin } from './wikilink-rule.js';

/**
 * The one configured markdown-it instance: CommonMark + GFM tables, strikethrough and autolinks,
 * raw HTML (sanitized afterwards), task lists, footnotes, ==mark==, GitHub alerts, $math$, wikilinks,
 * highlighted code and heading ids. Built once; all per-page state travels in the render env.
 */
export const markdownParser: MarkdownIt = new MarkdownIt('default', {
  html: true,
  linkify: true,
  typographer: false,
  highlight: highlightFence,
})
  .use(gfmAutolinksPlugin)
  .use(wikiLinkPlugin)
  .use(mark)
  .use(footnote)
  .use(linearFootnoteTailPlugin)
  .use(tasklist, { disabled: true, label: true })
  .use(alert)
  .use(tex, {
    delimiters: 'dollars',
    mathFence: true,
    render: (content: string, displayMode: boolean, env: RenderEnv) =>
      mathPlaceholder(content, displayMode, env),
  })
  .use(tableAlignPlugin)
  .use(attachmentLinksPlugin)
  .use(headingIdsPlugin);
