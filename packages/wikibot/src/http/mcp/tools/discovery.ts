import { z } from 'zod';
import { changelogJson, searchJson, semanticHitJson } from '../../shapes/present.js';
import {
  formatLinks,
  formatOrphanedNotes,
  formatRecentChanges,
  formatSearchResults,
  formatSemanticResults,
} from '../formatters.js';
import { clamp } from './clamp.js';
import { defineTool } from './define.js';
import { Links, Orphans, RecentChanges, SearchResults, SemanticResults } from './schemas.js';

export const searchNotes = defineTool({
  name: 'search_notes',
  access: 'read',
  description: 'Full-text keyword search across all wiki pages.',
  input: z.object({
    query: z
      .string()
      .describe(
        'Keywords, all required; "quoted phrases" and prefix* work, and the last word also matches as a prefix',
      ),
  }),
  output: SearchResults,
  async run(args, session) {
    const query = args.query.trim();
    const structured = searchJson(query, await session.wiki.search(query));
    return { text: formatSearchResults(structured), structured };
  },
});

export const semanticSearch = defineTool({
  name: 'semantic_search',
  access: 'read',
  description: `Semantic similarity search. Finds pages conceptually related to the query, even without exact keyword matches.

Args:
    query: Natural language query describing what you're looking for
    n: Number of results to return (1-50, default 5)
    max_chunks_per_page: Maximum number of chunks to return per page (default 2)`,
  input: z.object({
    query: z.string().describe("Natural language query describing what you're looking for"),
    n: z.number().int().default(5).describe('Number of results to return (1-50, default 5)'),
    max_chunks_per_page: z
      .number()
      .int()
      .default(2)
      .describe('Maximum number of chunks to return per page (1-5, default 2)'),
  }),
  output: SemanticResults,
  async run(args, session) {
    // The service clamps n to 1-50 and max_chunks_per_page to 1-5, as otterwiki-mcp and its API do.
    const query = args.query.trim();
    const hits = await session.wiki.semanticSearch(query, {
      n: args.n,
      maxChunksPerPage: args.max_chunks_per_page,
    });
    const structured = { query, results: hits.map(semanticHitJson), total: hits.length };
    return { text: formatSemanticResults(structured), structured };
  },
});

export const getLinks = defineTool({
  name: 'get_links',
  access: 'read',
  description: 'Get incoming and outgoing WikiLinks for a page.',
  input: z.object({ path: z.string().describe('Page path, e.g. "Actors/Iran"') }),
  output: Links,
  async run(args, session) {
    const links = await session.wiki.links(args.path);
    const structured = { path: links.path, links_to: links.linksTo, linked_from: links.linkedFrom };
    return { text: formatLinks(structured), structured };
  },
});

export const getRecentChanges = defineTool({
  name: 'get_recent_changes',
  access: 'read',
  description: `Get recent changelog entries across all wiki pages.

Args:
    limit: Maximum number of entries to return (default 20)`,
  input: z.object({
    limit: z.number().int().default(20).describe('Maximum number of entries to return (1-200, default 20)'),
  }),
  output: RecentChanges,
  async run(args, session) {
    const entries = (await session.wiki.changelog(clamp(args.limit, 1, 200))).map(changelogJson);
    const structured = { entries, total: entries.length };
    return { text: formatRecentChanges(structured), structured };
  },
});

export const findOrphanedNotes = defineTool({
  name: 'find_orphaned_notes',
  access: 'read',
  description:
    "Find wiki pages that no other page links to. Orphaned pages may be missing from the wiki's navigation structure.",
  input: z.object({}),
  output: Orphans,
  async run(_args, session) {
    // One index query; Home is the root page and is not expected to have incoming links.
    const orphans = (await session.wiki.orphans()).filter((path) => path.toLowerCase() !== 'home');
    const structured = { orphans, total: orphans.length };
    return { text: formatOrphanedNotes(orphans), structured };
  },
});
