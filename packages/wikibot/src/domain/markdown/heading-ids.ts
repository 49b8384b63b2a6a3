import type MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';
import type { RenderEnv } from './render-env.js';
import { uniqueSlug } from './slugify.js';

function plainText(children: Token[] | null): string {
  let text = '';
  for (const child of children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline' || child.type === 'math_inline') {
      text += child.content;
    } else if (child.type === 'softbreak' || child.type === 'hardbreak') {
      text += ' ';
    }
  }
  return text.trim();
}

/** Gives every Markdown heading a unique slug id and lists the non-empty ones in the table of contents. */
function headingIdsRule(state: StateCore): void {
  const env: RenderEnv = state.env;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'heading_open') continue;
    const title = plainText(tokens[i + 1]?.children ?? null);
    const id = uniqueSlug(title, env.usedIds);
    token.attrSet('id', id);
    if (title !== '') env.toc.push({ level: Number(token.tag.slice(1)), title, id });
  }
}

export function headingIdsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('heading_ids', headingIdsRule);
}
