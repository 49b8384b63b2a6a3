import type {
  AttachmentList,
  History,
  Links,
  NoteList,
  NoteRead,
  RecentChanges,
  Renamed,
  SearchResults,
  SemanticResults,
} from './tools/schemas.js';

/**
 * The plain-text answers of the MCP tools, in otterwiki-mcp's formats (its formatters.py), so agents
 * and prompts written for it read wikibot the same way. Additions are marked where they occur.
 */

const shortRevision = (revision: string) => revision.slice(0, 8);

export function formatReadNote(note: NoteRead): string {
  // Addition: the revision (needed by write_note and edit_note).
  const lines = [`# ${note.name}`, `Path: ${note.path}`, `Revision: ${note.revision}`];
  if (note.section !== undefined) lines.push(`Section: ${note.section}`);
  // One line for the frontmatter: every key but the title, `Key Title-Cased: value`.
  const fields = Object.entries(note.frontmatter ?? {})
    .filter(([key, value]) => key !== 'title' && truthy(value))
    .map(([key, value]) => `${titleCase(key.replaceAll('_', ' '))}: ${listed(value)}`);
  if (fields.length) lines.push(fields.join(' | '));
  // A section is read for its text; the page's links are left out then.
  if (note.section === undefined) {
    if (note.links_to.length) lines.push(`Links to: ${note.links_to.join(', ')}`);
    if (note.linked_from.length) lines.push(`Linked from: ${note.linked_from.join(', ')}`);
  }
  lines.push('', '---', note.content);
  return lines.join('\n');
}

/** `Section not found: '…'.` with the sections to choose from (all of them, or an ambiguous title's). */
export function formatSectionNotFound(section: string, available: string[]): string {
  if (!available.length) return `Section not found: '${section}'. This page has no sections.`;
  return [
    `Section not found: '${section}'. Available sections:`,
    ...available.map((path) => `  - ${path}`),
  ].join('\n');
}

export function formatListNotes(list: NoteList, filters: Record<string, string>): string {
  const described = [
    filters.prefix && `prefix=${filters.prefix}`,
    filters.category && `category=${filters.category}`,
    filters.tag && `tag=${filters.tag}`,
    filters.updated_since && `updated since ${filters.updated_since}`,
  ].filter(Boolean);
  const header = described.length
    ? `Found ${list.total} notes matching ${described.join(', ')}:`
    : `Found ${list.total} notes:`;
  if (!list.pages.length) return header;
  const lines = [header, ''];
  for (const p of list.pages) {
    const meta = [
      p.category && `category: ${p.category}`,
      p.tags.length > 0 && `tags: ${p.tags.join(', ')}`,
      p.last_updated && `last updated: ${p.last_updated}`,
    ].filter(Boolean);
    lines.push(`- ${p.path} (${meta.join(', ') || 'no metadata'}, ${p.content_length} words)`);
  }
  return lines.join('\n');
}

export function formatSearchResults(results: SearchResults): string {
  return rankedList(
    results,
    results.results.map((r) => ({ path: r.path, snippet: r.snippet, rank: `score: ${r.score.toFixed(2)}` })),
  );
}

export function formatSemanticResults(results: SemanticResults): string {
  return rankedList(
    results,
    results.results.map((r) => ({
      path: r.path,
      snippet: r.snippet,
      rank: `distance: ${r.distance.toFixed(2)}`,
    })),
  );
}

function rankedList(
  results: { query: string; total: number },
  items: { path: string; snippet: string; rank: string }[],
): string {
  const header = `${results.total} results for "${results.query}":`;
  if (!items.length) return header;
  const lines = [header, ''];
  items.forEach((item, i) => {
    lines.push(`${i + 1}. ${item.path} (${item.rank})`);
    if (item.snippet) lines.push(`   ${item.snippet}`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}

export function formatRecentChanges(changes: RecentChanges): string {
  const header = `${changes.total} recent changes:`;
  if (!changes.entries.length) return header;
  const lines = [header, ''];
  for (const e of changes.entries) {
    lines.push(`- ${e.date} | ${e.author} | ${e.pages_affected.join(', ')}`);
    if (e.message) lines.push(`  ${e.message}`);
  }
  return lines.join('\n');
}

export function formatWriteResult(result: { path: string; revision: string; created: boolean }): string {
  return `${result.created ? 'Created' : 'Updated'} ${result.path} (revision: ${shortRevision(result.revision)})`;
}

export function formatEditResult(result: { path: string; revision: string }): string {
  return `Edited ${result.path} (revision: ${shortRevision(result.revision)})`;
}

export function formatRenameResult(result: Renamed): string {
  const lines = [
    `Renamed ${result.old_path} -> ${result.new_path} (revision: ${shortRevision(result.revision)})`,
  ];
  if (result.updated_pages.length) {
    lines.push(`Updated ${result.updated_pages.length} backreferences:`);
    for (const p of result.updated_pages) lines.push(`  - ${p}`);
  } else {
    lines.push('No backreferences needed updating.');
  }
  return lines.join('\n');
}

export function formatDeleteResult(result: { path: string }): string {
  return `Deleted ${result.path}`;
}

export function formatLinks(links: Links): string {
  const lines = [`Links for ${links.path}:`, ''];
  for (const [label, list] of [
    ['Links to', links.links_to],
    ['Linked from', links.linked_from],
  ] as const) {
    lines.push(`${label} (${list.length}):`);
    if (list.length) for (const link of list) lines.push(`  - ${link}`);
    else lines.push('  (none)');
  }
  return lines.join('\n');
}

export function formatHistory(history: History): string {
  if (!history.history.length) return `No history for ${history.path}.`;
  const lines = [`History for ${history.path} (${history.history.length} revisions):`, ''];
  for (const entry of history.history) {
    lines.push(`- ${shortRevision(entry.revision)} | ${entry.date} | ${entry.author}`);
    if (entry.message) lines.push(`  ${entry.message}`);
  }
  return lines.join('\n');
}

export function formatOrphanedNotes(orphans: string[]): string {
  if (!orphans.length) return 'No orphaned notes found. All pages have at least one incoming link.';
  return [
    `Found ${orphans.length} orphaned notes (no incoming links from any other page):`,
    '',
    ...orphans.map((p) => `- ${p}`),
  ].join('\n');
}

export function formatAttachments(list: AttachmentList): string {
  const lines = [`Attachments for ${list.path} (${list.total}):`, ''];
  if (!list.attachments.length) lines.push('  (no attachments)');
  for (const a of list.attachments) {
    lines.push(`- ${a.filename} (${a.size} bytes, ${a.mime_type}, modified ${a.last_modified || 'unknown'})`);
  }
  return lines.join('\n');
}

export function formatUploadAttachment(result: { filename: string; path: string; size: number }): string {
  return `Uploaded ${result.filename} to ${result.path} (${result.size} bytes)`;
}

export function formatDownloadAttachment(result: {
  filename: string;
  size: number;
  mime_type: string;
  content: string;
}): string {
  return [
    `Downloaded ${result.filename} (${result.size} bytes, ${result.mime_type})`,
    'Content (base64):',
    result.content,
  ].join('\n');
}

export function formatDeleteAttachment(result: { filename: string }): string {
  return `Deleted attachment ${result.filename}`;
}

/** Python's truthiness, as otterwiki-mcp tests frontmatter values. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A frontmatter value on one line: lists joined with ", ". */
const listed = (value: unknown): string => (Array.isArray(value) ? value.map(text).join(', ') : text(value));

/** Python's str.title(): each run of letters capitalized, the rest lower case. */
const titleCase = (words: string): string =>
  words.replace(/[A-Za-z]+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
