import { z } from 'zod';
import { responseShapes, type Shape } from '../../shapes/schemas.js';

/**
 * Output schemas of the MCP tools: the shapes shared with REST (shapes/schemas.ts), under the
 * names the tools use, and the results only MCP has.
 */

const shapes = responseShapes({ revision: z.string() });

export const NoteRead = shapes.Page.extend({
  revision: z.string().describe('Pass this to write_note or edit_note when changing the page'),
});
export const NoteList = shapes.PageList;
export const RecentChanges = shapes.Changelog;
export const { AttachmentList, History, Links, Renamed, SearchResults, SemanticResults } = shapes;

export const NoteWritten = z.object({
  name: z.string(),
  path: z.string(),
  revision: z.string(),
  created: z.boolean(),
});

export const NoteEdited = z.object({ name: z.string(), path: z.string(), revision: z.string() });

export const Deleted = z.object({ deleted: z.literal(true), path: z.string(), revision: z.string() });

export const Orphans = z.object({ orphans: z.array(z.string()), total: z.number().int() });

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
export type NoteList = Shape<'PageList'>;
export type RecentChanges = Shape<'Changelog'>;
export type AttachmentList = Shape<'AttachmentList'>;
export type History = Shape<'History'>;
export type Links = Shape<'Links'>;
export type Renamed = Shape<'Renamed'>;
export type SearchResults = Shape<'SearchResults'>;
export type SemanticResults = Shape<'SemanticResults'>;
