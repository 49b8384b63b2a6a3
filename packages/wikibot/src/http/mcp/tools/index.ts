import type { ToolAccess } from '../session.js';
import { deleteAttachment, downloadAttachment, listAttachments, uploadAttachment } from './attachments.js';
import type { ToolEntry } from './define.js';
import { findOrphanedNotes, getLinks, getRecentChanges, searchNotes, semanticSearch } from './discovery.js';
import { deleteNote, editNote, getHistory, listNotes, readNote, renameNote, writeNote } from './pages.js';

/** The tools of SPEC §4, in otterwiki-mcp's order. */
export const TOOLS: readonly ToolEntry[] = [
  readNote,
  writeNote,
  editNote,
  listNotes,
  searchNotes,
  semanticSearch,
  getLinks,
  getRecentChanges,
  getHistory,
  renameNote,
  deleteNote,
  findOrphanedNotes,
  listAttachments,
  uploadAttachment,
  downloadAttachment,
  deleteAttachment,
];

const ACCESS = new Map(TOOLS.map((tool) => [tool.name, tool.access]));

/** The access a tool needs, or undefined for a name that is no tool. */
export function toolAccess(name: string): ToolAccess | undefined {
  return ACCESS.get(name);
}
