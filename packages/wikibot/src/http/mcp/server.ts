import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/server';
import { PACKAGE_ROOT } from '../../packageRoot.js';
import { registerUsageGuide } from './prompts.js';
import { registerPageResources } from './resources.js';
import type { McpSession } from './session.js';
import { TOOLS } from './tools/index.js';

const VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

/** Lists depend on the caller's scopes, so only the caller may cache them. */
const PER_CALLER = { ttlMs: 60_000, cacheScope: 'private' } as const;
/** Pages change with every write. */
const UNCACHED = { ttlMs: 0, cacheScope: 'private' } as const;

/**
 * The MCP server for one request: the tools this caller may use (read tools with `wiki:read`,
 * the others with `wiki:write`), and for readers the pages as resources and the usage guide prompt;
 * of these, what the request needs (its session's surface).
 */
export function buildMcpServer(session: McpSession): McpServer {
  const reader = session.may('read');
  const server = new McpServer(
    { name: 'wikibot', title: `wikibot: ${session.record.title}`, version: VERSION },
    {
      capabilities: {
        tools: { listChanged: false },
        ...(reader ? { resources: { listChanged: false }, prompts: { listChanged: false } } : {}),
      },
      instructions: `The wiki "${session.record.title}": Markdown pages kept in git. ${
        reader
          ? 'Read the wiki_usage_guide prompt (or the page "Meta/Wiki Usage Guide") before writing. '
          : ''
      }Updating a page needs the revision read_note returns; a conflict means: read again, merge, retry.`,
      cacheHints: {
        'tools/list': PER_CALLER,
        'prompts/list': PER_CALLER,
        'resources/templates/list': PER_CALLER,
        'resources/list': UNCACHED,
        'resources/read': UNCACHED,
      },
    },
  );
  const { surface } = session;
  const wanted = (part: 'resources' | 'prompts') => surface === 'everything' || surface === part;
  for (const tool of TOOLS) {
    const needed = surface === 'everything' || (typeof surface === 'object' && surface.tool === tool.name);
    if (needed && session.may(tool.access)) tool.register(server, session);
  }
  if (reader && wanted('resources')) registerPageResources(server, session);
  if (reader && wanted('prompts')) registerUsageGuide(server, session);
  return server;
}
