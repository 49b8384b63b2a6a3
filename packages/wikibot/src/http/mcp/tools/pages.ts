import { z } from 'zod';
import { findSection } from '../../../domain/sections.js';
import { commitJson, pageJson, pageSummaryJson } from '../../shapes/present.js';
import { ToolRefusal } from '../failures.js';
import {
  formatDeleteResult,
  formatEditResult,
  formatHistory,
  formatListNotes,
  formatReadNote,
  formatRenameResult,
  formatSectionNotFound,
  formatWriteResult,
} from '../formatters.js';
import { clamp } from './clamp.js';
import { defineTool } from './define.js';
import { Deleted, History, NoteEdited, NoteList, NoteRead, NoteWritten, Renamed } from './schemas.js';

/** otterwiki-mcp's content cap for write_note. */
export const MAX_CONTENT_BYTES = 1_000_000;

const path = z.string().describe('Page path, e.g. "Actors/Iran"');
const commitMessage = z.string().default('').describe('Optional commit message.');

export const readNote = defineTool({
  name: 'read_note',
  access: 'read',
  description: `Read a wiki page by path. Returns frontmatter, content, and WikiLinks.

Args:
    path: Page path, e.g. "Actors/Iran"
    revision: Optional git revision SHA to read a historical version. Use get_history to find available revision SHAs.
    section: Optional section title or path (e.g. "Background" or "Background > Military Strategy") to return only that section's content.`,
  input: z.object({
    path,
    revision: z.string().default('').describe('Optional git revision SHA to read a historical version'),
    section: z
      .string()
      .default('')
      .describe('Optional section title or path, e.g. "Background > Military Strategy"'),
  }),
  output: NoteRead,
  async run(args, session) {
    const page = await session.wiki.readPage(args.path, args.revision ? { revision: args.revision } : {});
    const note: NoteRead = pageJson(page);
    if (args.section) {
      const match = findSection(page.content, args.section);
      if (match.kind === 'not_found')
        throw new ToolRefusal(formatSectionNotFound(args.section, match.available));
      if (match.kind === 'ambiguous')
        throw new ToolRefusal(formatSectionNotFound(args.section, match.candidates));
      note.content = match.content;
      note.section = match.heading.path.join(' > ');
    }
    return { text: formatReadNote(note), structured: note };
  },
});

export const writeNote = defineTool({
  name: 'write_note',
  access: 'write',
  description: `Create or overwrite a wiki page. When updating an existing page, you must supply the revision SHA from read_note for optimistic locking. Omit revision to create a new page.

Args:
    path: Page path, e.g. "Actors/Iran"
    content: Full page content (markdown with optional YAML frontmatter between --- delimiters).
    revision: Current revision SHA of the page (from read_note). Required when updating an existing page. Omit when creating a new page.
    commit_message: Optional commit message.`,
  input: z.object({
    path,
    content: z
      .string()
      .describe('Full page content (markdown with optional YAML frontmatter between --- delimiters)'),
    revision: z
      .string()
      .default('')
      .describe('Current revision SHA of the page (from read_note); omit when creating'),
    commit_message: commitMessage,
  }),
  output: NoteWritten,
  async run(args, session) {
    const bytes = Buffer.byteLength(args.content, 'utf8');
    const max = Math.min(MAX_CONTENT_BYTES, session.wiki.settings.maxPageBytes);
    if (bytes > max)
      throw new ToolRefusal(`Content too large (${bytes} bytes). Maximum size is ${max} bytes.`);
    const result = await session.wiki.writePage(args.path, args.content, {
      ...session.change(args.commit_message),
      ...(args.revision ? { revision: args.revision } : {}),
    });
    const structured = {
      name: result.name,
      path: result.path,
      revision: result.revision,
      created: result.created,
    };
    return { text: formatWriteResult(structured), structured };
  },
});

export const editNote = defineTool({
  name: 'edit_note',
  access: 'write',
  description: `Edit a wiki page in place. Finds the single occurrence of old_string and replaces it with new_string. Requires the current revision SHA (from read_note) for optimistic locking — if the page was modified since you last read it, you'll get a conflict error and must re-read before retrying.

Args:
    path: Page path, e.g. "Actors/Iran"
    revision: Current revision SHA of the page (from read_note). Can be full or short (7+ chars).
    old_string: Exact text to find (must appear exactly once in the page). Matches against full content including frontmatter.
    new_string: Replacement text. Use empty string to delete old_string.
    commit_message: Optional commit message.`,
  input: z.object({
    path,
    revision: z.string().describe('Current revision SHA of the page (from read_note), full or 7+ characters'),
    old_string: z.string().describe('Exact text to find; must appear exactly once in the page'),
    new_string: z.string().describe('Replacement text; empty to delete old_string'),
    commit_message: commitMessage,
  }),
  output: NoteEdited,
  async run(args, session) {
    const result = await session.wiki.patchPage(
      args.path,
      { revision: args.revision, oldString: args.old_string, newString: args.new_string },
      session.change(args.commit_message),
    );
    const structured = { name: result.name, path: result.path, revision: result.revision };
    return { text: formatEditResult(structured), structured };
  },
});

export const listNotes = defineTool({
  name: 'list_notes',
  access: 'read',
  description: `List wiki pages. All filters are optional and compose with AND logic.

Args:
    prefix: Filter by path prefix, e.g. "Actors/" or "Events/"
    category: Filter by frontmatter category
    tag: Filter by frontmatter tag
    updated_since: ISO 8601 date, e.g. "2026-03-08"`,
  input: z.object({
    prefix: z.string().default('').describe('Filter by path prefix, e.g. "Actors/"'),
    category: z.string().default('').describe('Filter by frontmatter category'),
    tag: z.string().default('').describe('Filter by frontmatter tag'),
    updated_since: z.string().default('').describe('ISO 8601 date, e.g. "2026-03-08"'),
  }),
  output: NoteList,
  async run(args, session) {
    const filters = {
      prefix: args.prefix.trim(),
      category: args.category.trim(),
      tag: args.tag.trim(),
      updated_since: args.updated_since.trim(),
    };
    const { pages, total } = await session.wiki.listPages({
      ...(filters.prefix ? { prefix: filters.prefix } : {}),
      ...(filters.category ? { category: filters.category } : {}),
      ...(filters.tag ? { tag: filters.tag } : {}),
      ...(filters.updated_since ? { updatedSince: filters.updated_since } : {}),
    });
    const structured = { pages: pages.map(pageSummaryJson), total };
    return { text: formatListNotes(structured, filters), structured };
  },
});

export const getHistory = defineTool({
  name: 'get_history',
  access: 'read',
  description: `Get revision history for a page. Use with read_note(revision=...) to view older versions.

Args:
    path: Page path, e.g. "Actors/Iran"
    limit: Maximum number of revisions to return (default 10)`,
  input: z.object({
    path,
    limit: z.number().int().default(10).describe('Maximum number of revisions to return (1-200, default 10)'),
  }),
  output: History,
  async run(args, session) {
    const { path: pagePath, history } = await session.wiki.history(args.path, clamp(args.limit, 1, 200));
    const structured = { path: pagePath, history: history.map(commitJson) };
    return { text: formatHistory(structured), structured };
  },
});

export const renameNote = defineTool({
  name: 'rename_note',
  access: 'write',
  description: `Rename a wiki page and automatically update all backreferences (WikiLinks from other pages that point to this page). The rename and all link updates happen in a single atomic commit.

Args:
    path: Current page path, e.g. "Actors/Iran"
    new_path: New page path, e.g. "Actors/Iran (Islamic Republic)"
    commit_message: Optional commit message.`,
  input: z.object({
    path: z.string().describe('Current page path, e.g. "Actors/Iran"'),
    new_path: z.string().describe('New page path, e.g. "Actors/Iran (Islamic Republic)"'),
    commit_message: commitMessage,
  }),
  output: Renamed,
  async run(args, session) {
    const result = await session.wiki.renamePage(
      args.path,
      args.new_path,
      session.change(args.commit_message),
    );
    const structured = {
      old_path: result.oldPath,
      new_path: result.newPath,
      revision: result.revision,
      updated_pages: result.updatedPages,
    };
    return { text: formatRenameResult(structured), structured };
  },
});

export const deleteNote = defineTool({
  name: 'delete_note',
  access: 'write',
  destructive: true,
  description:
    'Delete a wiki page. Permanently deletes — content can only be recovered through git history. Confirm with the user before calling.',
  input: z.object({ path, commit_message: commitMessage }),
  output: Deleted,
  async run(args, session) {
    const result = await session.wiki.deletePage(args.path, session.change(args.commit_message));
    const structured = { deleted: true as const, path: result.path, revision: result.revision };
    return { text: formatDeleteResult(structured), structured };
  },
});
