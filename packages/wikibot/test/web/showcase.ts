import type { WebServer } from './support.js';

/** Pages that show what the wiki renders: used by the browser tests and the README screenshots. */
export const SHOWCASE_PATH = 'Projects/Launch Plan';

const LAUNCH_PLAN = `---
category: project
tags: [launch, planning]
owner: Platform team
status: in progress
---
# Launch Plan

The plan for taking **wikibot** to production. See the [[Runbook|Operations/Runbook]] and the
[[Risk Register]] (not written yet).

> [!NOTE]
> Every change to this page is a git commit: use *History* to compare versions.

## Milestones

| Milestone | Owner | Due |
| :-- | :-- | --: |
| Beta on staging | Olga | 2025-03-01 |
| Load test at 10k pages | Eddie | 2025-03-15 |
| General availability | Vera | 2025-04-01 |

- [x] Storage on bare git repositories
- [x] Full-text search
- [ ] Semantic search on by default

## Architecture

\`\`\`mermaid
graph LR
  Browser --> Web[Web UI]
  Agent --> MCP
  Web --> Wiki[Wiki service]
  MCP --> Wiki
  Wiki --> Git[(git)]
  Wiki --> Index[(SQLite index)]
\`\`\`

## Capacity

A page view must stay under $p_{50} \\le 5\\,\\text{ms}$ with $n = 10^4$ pages.

\`\`\`ts
const view = await wiki.readPage(path);
return renderCache.page(wiki, view); // cached by blob id
\`\`\`

Footnotes work too.[^1] So does ==highlighting== and ~~strikethrough~~.

[^1]: Like this one.
`;

const RUNBOOK = `# Runbook

How to operate wikibot. Back to the [[Launch Plan|Projects/Launch Plan]].

## Restarting

Run \`systemctl restart wikibot\`; the index catches up by itself.
`;

export async function writeShowcase(web: WebServer): Promise<void> {
  await web.put(
    'Home',
    '# Home\n\nWelcome to the team wiki. Start with the [[Launch Plan|Projects/Launch Plan]].\n',
  );
  await web.put(SHOWCASE_PATH, LAUNCH_PLAN);
  await web.put('Operations/Runbook', RUNBOOK);
  await web.put('Operations/On-call', '# On-call\n\nWho is on call this week, and how to reach them.\n');
  await web.put('Meta/Style Guide', '# Style Guide\n\nWrite short pages. Link generously.\n');
}
