import type MarkdownIt from 'markdown-it';
import type { StateCore } from 'markdown-it';

const ALIGN_STYLE = /^text-align:(left|right|center)$/;

/**
 * markdown-it aligns table cells with `style="text-align:…"`; the sanitizer allows no style
 * attributes at all, so the alignment is carried by the `align` attribute instead.
 */
function tableAlignRule(state: StateCore): void {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const align = ALIGN_STYLE.exec(token.attrGet('style') ?? '')?.[1];
    if (align !== undefined) token.attrs = [['align', align]];
  }
}

export function tableAlignPlugin(md: MarkdownIt): void {
  md.core.ruler.push('table_align', tableAlignRule);
}
