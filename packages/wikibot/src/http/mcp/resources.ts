import {
  type ListResourcesResult,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { Invalid, NotFound } from '../../wiki/errors.js';
import type { McpSession } from './session.js';
import { wikiUri, wikiUriPath } from './wikiUri.js';

/** Pages per `resources/list` answer; `nextCursor` leads to the next. */
export const RESOURCE_PAGE_SIZE = 100;

/**
 * Every page as the resource `wiki://<slug>/<path>` (Markdown with its frontmatter), listed a page
 * at a time; an attachment reads at `wiki://<slug>/<page path>/<file name>`.
 */
export function registerPageResources(server: McpServer, session: McpSession): void {
  const { slug } = session.wiki;
  server.registerResource(
    'page',
    new ResourceTemplate(`wiki://${slug}/{+path}`, { list: undefined }),
    {
      title: 'Wiki page',
      description: `A page of the wiki "${session.record.title}" as Markdown with its frontmatter, or a file attached to a page.`,
      mimeType: 'text/markdown',
    },
    (uri) => readResource(session, uri.href),
  );
  // McpServer lists template resources all at once; answer resources/list here, a page at a time.
  server.server.setRequestHandler('resources/list', (request) =>
    listResources(session, request.params?.cursor),
  );
}

async function listResources(session: McpSession, cursor: string | undefined): Promise<ListResourcesResult> {
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  const { pages, total } = await session.wiki.listPages({ limit: RESOURCE_PAGE_SIZE, offset });
  const next = offset + pages.length;
  return {
    resources: pages.map((p) => ({
      uri: wikiUri(session.wiki.slug, p.path),
      name: p.path,
      title: p.name,
      mimeType: 'text/markdown',
    })),
    ...(next < total && pages.length > 0 ? { nextCursor: encodeCursor(next) } : {}),
  };
}

async function readResource(session: McpSession, uri: string): Promise<ReadResourceResult> {
  const path = wikiUriPath(session.wiki.slug, uri);
  if (path === null) throw new ResourceNotFoundError(uri);
  const page = await unlessMissing(() => session.wiki.readPage(path));
  if (page) return { contents: [{ uri, mimeType: 'text/markdown', text: page.content }] };
  const slash = path.lastIndexOf('/');
  if (slash > 0) {
    const file = await unlessMissing(() =>
      session.wiki.readAttachment(path.slice(0, slash), path.slice(slash + 1)),
    );
    if (file) return { contents: [{ uri, mimeType: file.mimeType, blob: file.content.toString('base64') }] };
  }
  throw new ResourceNotFoundError(uri);
}

/** The value, or null when what it names does not exist (or could not be a page or file name). */
async function unlessMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFound || error instanceof Invalid) return null;
    throw error;
  }
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
  return Number(match[1]);
}
