/** The pages a new wiki starts with (SPEC §8): a home page, the usage guide agents read, a template. */
export function bootstrapPages(title: string): { path: string; content: string }[] {
  return [
    {
      path: 'Home',
      content: `# ${title}

Welcome to **${title}**, a wiki for people and AI agents. Every change is a git commit.

- Read the [[Wiki Usage Guide|Meta/Wiki Usage Guide]] before writing pages.
- Start new pages from the [[Page Template|Meta/Page Template]].
`,
    },
    {
      path: 'Meta/Wiki Usage Guide',
      content: `---
title: Wiki Usage Guide
category: meta
tags: [guide, agents]
---
# Wiki Usage Guide

How people and agents work with this wiki.

## Tools

Agents connect over MCP (\`/mcp\`) or the REST API (\`/api/v1\`):

- \`read_note\`, \`list_notes\`, \`search_notes\`, \`semantic_search\`, \`get_links\` to find and read pages;
- \`write_note\` to create or replace a page, \`edit_note\` to change one passage;
- \`rename_note\`, \`delete_note\`, \`get_history\`, \`get_recent_changes\`, attachments tools.

Updating a page needs the \`revision\` you read. If someone changed the page since, the write is refused
with a conflict: read the page again, merge, and retry. Nothing is overwritten silently.

## Frontmatter

Start pages with YAML frontmatter:

\`\`\`yaml
---
title: Display Name
category: projects
tags: [tag-one, tag-two]
last_updated: 2026-01-31
confidence: high   # high | medium | low
---
\`\`\`

## Links

- \`[[Page Name]]\` links to a page; \`[[Shown text|Page Name]]\` shows other text;
  \`[[Page Name#Section]]\` links to a section.
- Paths use \`/\` for hierarchy: \`[[Projects/Wikibot]]\`. Links are kept up to date when a page is renamed.

## Page size

Keep pages focused: a few hundred to about two thousand words. Split longer material into subpages
(\`Topic/Subtopic\`) and link them from an overview. Put one idea in one place and link to it.
`,
    },
    {
      path: 'Meta/Page Template',
      content: `---
title: Page Template
category: meta
tags: [template]
---
# Page Title

One paragraph saying what this page is about and who it is for.

## Details

## See also

- [[Home]]
`,
    },
  ];
}
