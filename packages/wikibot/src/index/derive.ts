import {
  countWords,
  type Frontmatter,
  frontmatterCategory,
  frontmatterTags,
  parseFrontmatter,
} from '../domain/frontmatter.js';
import { extractMarkdownPageLinks } from '../domain/markdownLinks.js';
import { displayName } from '../domain/pagePath.js';
import { extractWikiLinks, type WikiLinkStyle } from '../domain/wikilinks.js';

/** What the index keeps about a page, derived from its path and content alone. */
export interface DerivedPage {
  name: string;
  body: string;
  frontmatter: Frontmatter | null;
  category: string | null;
  tags: string[];
  wordCount: number;
  /** Link targets of wikilinks and Markdown links to pages (anchor removed), without duplicates. */
  links: string[];
}

export function derivePage(path: string, content: string, style: WikiLinkStyle): DerivedPage {
  const { frontmatter, body } = parseFrontmatter(content);
  const links = new Map<string, string>();
  for (const link of extractWikiLinks(body, style)) {
    if (link.target) links.set(link.target.toLowerCase(), link.target);
  }
  for (const target of extractMarkdownPageLinks(body, path)) {
    if (!links.has(target.toLowerCase())) links.set(target.toLowerCase(), target);
  }
  return {
    name: displayName(path, frontmatter, body),
    body,
    frontmatter,
    category: frontmatterCategory(frontmatter),
    tags: frontmatterTags(frontmatter),
    wordCount: countWords(body),
    links: [...links.values()],
  };
}
