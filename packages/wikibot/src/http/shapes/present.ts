import { snippetText } from '../../domain/snippet.js';
import type { PageSummary } from '../../index/wikiIndex.js';
import type { SearchAnswer } from '../../wiki/search.js';
import type { SemanticHit } from '../../wiki/semantic.js';
import type { AttachmentInfo, ChangelogEntry, CommitSummary, PageView } from '../../wiki/types.js';

/** The wiki service's results as the shapes REST and MCP answer with (schemas.ts): otterwiki-api's JSON. */

export function pageJson(page: PageView) {
  return {
    name: page.name,
    path: page.path,
    content: page.content,
    frontmatter: page.frontmatter,
    links_to: page.linksTo,
    linked_from: page.linkedFrom,
    revision: page.revision,
    last_commit: commitJson(page.lastCommit),
  };
}

export function commitJson(c: CommitSummary) {
  return { revision: c.revision, author: c.author, date: c.date, message: c.message };
}

export function pageSummaryJson(p: PageSummary) {
  return {
    name: p.name,
    path: p.path,
    category: p.category,
    tags: p.tags,
    last_updated: p.updatedAt ? p.updatedAt.slice(0, 10) : null,
    content_length: p.wordCount,
  };
}

export function changelogJson(e: ChangelogEntry) {
  return { ...commitJson(e), pages_affected: e.pagesAffected };
}

export function attachmentJson(a: AttachmentInfo) {
  return { filename: a.filename, size: a.size, mime_type: a.mimeType, last_modified: a.lastModified };
}

/** The answer of GET /search and MCP search_notes: snippets as plain text with the hits between `**`. */
export function searchJson(query: string, answer: SearchAnswer) {
  return {
    query,
    results: answer.results.map((r) => ({
      name: r.name,
      path: r.path,
      snippet: snippetText(r.snippet),
      score: r.score,
    })),
    total: answer.total,
  };
}

export function semanticHitJson(hit: SemanticHit) {
  return {
    name: hit.name,
    path: hit.path,
    text: hit.text,
    snippet: hit.snippet,
    distance: hit.distance,
    section: hit.section,
    section_path: hit.sectionPath.join(' > '),
    chunk_index: hit.chunkIndex,
    total_chunks: hit.totalChunks,
    page_word_count: hit.pageWordCount,
  };
}
