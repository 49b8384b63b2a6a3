import type { McpServer } from '@modelcontextprotocol/server';
import { parseFrontmatter } from '../../domain/frontmatter.js';
import { bootstrapPages } from '../../platform/template.js';
import { NotFound } from '../../wiki/errors.js';
import type { McpSession } from './session.js';

/** Where a wiki keeps its usage guide (SPEC §8's bootstrap template puts it there). */
export const USAGE_GUIDE_PATH = 'Meta/Wiki Usage Guide';

/**
 * The prompt `wiki_usage_guide`: how an agent should work with this wiki. It is the wiki's own
 * usage guide page, so owners can adapt it; a wiki without one gets the guide new wikis start with.
 */
export function registerUsageGuide(server: McpServer, session: McpSession): void {
  server.registerPrompt(
    'wiki_usage_guide',
    {
      title: 'Wiki usage guide',
      description: 'How to work with this wiki: its tools, frontmatter, links and page size.',
    },
    async () => {
      const guide = await usageGuide(session);
      const title = session.record.title;
      return {
        description: `Usage guide of the wiki "${title}"`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text: `You are working with the wiki "${title}" through its MCP tools. Follow its usage guide:\n\n${guide}`,
            },
          },
        ],
      };
    },
  );
}

async function usageGuide(session: McpSession): Promise<string> {
  try {
    return (await session.wiki.readPage(USAGE_GUIDE_PATH)).body.trim();
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    const fallback = bootstrapPages(session.record.title).find((p) => p.path === USAGE_GUIDE_PATH);
    return parseFrontmatter(fallback?.content ?? '').body.trim();
  }
}
