import type { PageSummary } from '../../index/wikiIndex.js';
import type { AttachmentInfo, ChangelogEntry, CommitSummary, PageView } from '../../wiki/types.js';

/** Shapes the wiki service's results into otterwiki-api's JSON. */

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
