import { z } from 'zod';

/**
 * Output schemas of the MCP tools. Field names are the REST API's (otterwiki-api's), so the
 * structured result of a tool is what the matching REST call returns.
 */

export const Commit = z.object({
  revision: z.string(),
  author: z.string(),
  date: z.string(),
  message: z.string(),
});

export const NoteRead = z.object({
  name: z.string(),
  path: z.string(),
  revision: z.string().describe('Pass this to write_note or edit_note when changing the page'),
  content: z.string().describe('The page (or the requested section) with its frontmatter'),
  frontmatter: z.record(z.string(), z.unknown()).nullable(),
  links_to: z.array(z.string()),
  linked_from: z.array(z.string()),
  last_commit: Commit,
  section: z.string().optional().describe('The full heading path of the section returned'),
});

export const NoteWritten = z.object({
  name: z.string(),
  path: z.string(),
  revision: z.string(),
  created: z.boolean(),
});

export const NoteEdited = z.object({ name: z.string(), path: z.string(), revision: z.string() });

export const NoteList = z.object({
  pages: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      category: z.string().nullable(),
      tags: z.array(z.string()),
      last_updated: z.string().nullable(),
      content_length: z.number().int().describe('Words in the page body'),
    }),
  ),
  total: z.number().int(),
});

export const SearchResults = z.object({
  query: z.string(),
  results: z.array(z.object({ name: z.string(), path: z.string(), snippet: z.string(), score: z.number() })),
  total: z.number().int(),
});

export const SemanticResults = z.object({
  query: z.string(),
  results: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      text: z.string(),
      snippet: z.string(),
      distance: z.number(),
      section: z.string(),
      section_path: z.string().describe('Heading path of the chunk, "A > B"'),
      chunk_index: z.number().int(),
      total_chunks: z.number().int(),
      page_word_count: z.number().int(),
    }),
  ),
  total: z.number().int(),
});

export const Links = z.object({
  path: z.string(),
  links_to: z.array(z.string()),
  linked_from: z.array(z.string()),
});

export const RecentChanges = z.object({
  entries: z.array(Commit.extend({ pages_affected: z.array(z.string()) })),
  total: z.number().int(),
});

export const History = z.object({ path: z.string(), history: z.array(Commit) });

export const Renamed = z.object({
  old_path: z.string(),
  new_path: z.string(),
  revision: z.string(),
  updated_pages: z.array(z.string()).describe('Pages whose links to the renamed page were rewritten'),
});

export const Deleted = z.object({ deleted: z.literal(true), path: z.string(), revision: z.string() });

export const Orphans = z.object({ orphans: z.array(z.string()), total: z.number().int() });

export const Attachment = z.object({
  filename: z.string(),
  size: z.number().int(),
  mime_type: z.string(),
  last_modified: z.string(),
});

export const AttachmentList = z.object({
  path: z.string(),
  attachments: z.array(Attachment),
  total: z.number().int(),
});

export const AttachmentUploaded = z.object({
  filename: z.string(),
  path: z.string(),
  size: z.number().int(),
  mime_type: z.string(),
  revision: z.string(),
});

export const AttachmentDownloaded = z.object({
  filename: z.string(),
  path: z.string(),
  size: z.number().int(),
  mime_type: z.string(),
  content: z.string().describe('The file, base64-encoded'),
});

export const AttachmentDeleted = z.object({
  deleted: z.literal(true),
  filename: z.string(),
  path: z.string(),
});

export type NoteRead = z.output<typeof NoteRead>;
export type NoteList = z.output<typeof NoteList>;
export type SearchResults = z.output<typeof SearchResults>;
export type SemanticResults = z.output<typeof SemanticResults>;
export type Links = z.output<typeof Links>;
export type RecentChanges = z.output<typeof RecentChanges>;
export type History = z.output<typeof History>;
export type Renamed = z.output<typeof Renamed>;
export type AttachmentList = z.output<typeof AttachmentList>;
