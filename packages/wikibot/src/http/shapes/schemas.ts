import { z } from 'zod';

/**
 * The response shapes REST and MCP share, declared once. Field names are otterwiki-api's, so a
 * tool's structured result is what the matching REST call returns. Each door makes them with its
 * own revision type (REST documents the 40-hex pattern) and REST names the ones it references
 * (api/schemas.ts); MCP declares them as tool outputs (mcp/tools/schemas.ts).
 */
export function responseShapes(options: {
  revision: z.ZodString;
  /** Names a shape other shapes refer to (REST's OpenAPI components); unnamed by default. */
  named?: <T extends z.ZodType>(schema: T, name: string) => T;
}) {
  const { revision, named = (schema) => schema } = options;

  const Commit = named(
    z.object({ revision, author: z.string(), date: z.string(), message: z.string() }),
    'Commit',
  );

  const Page = z.object({
    name: z.string(),
    path: z.string(),
    content: z.string().describe('The page (or the requested section) with its frontmatter'),
    frontmatter: z.record(z.string(), z.unknown()).nullable(),
    links_to: z.array(z.string()),
    linked_from: z.array(z.string()),
    revision: revision,
    last_commit: Commit,
    section: z.string().optional().describe('The full heading path of the section returned'),
  });

  const PageList = z.object({
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

  const SearchResults = z.object({
    query: z.string(),
    results: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        snippet: z.string().describe('Plain text around the first hit, the hits between **'),
        score: z.number(),
      }),
    ),
    total: z.number().int().describe('Every page matched, not only those in results'),
  });

  const SemanticResults = z.object({
    query: z.string(),
    results: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        text: z.string().describe('The chunk as embedded, with its [Title > Heading] prefix'),
        snippet: z.string(),
        distance: z.number().describe('1 − cosine similarity; lower is closer'),
        section: z.string(),
        section_path: z.string().describe('Page title and up to three headings, joined by " > "'),
        chunk_index: z.number().int(),
        total_chunks: z.number().int(),
        page_word_count: z.number().int(),
      }),
    ),
    total: z.number().int(),
  });

  const Links = z.object({
    path: z.string(),
    links_to: z.array(z.string()),
    linked_from: z.array(z.string()),
  });

  const Changelog = z.object({
    entries: z.array(Commit.extend({ pages_affected: z.array(z.string()) })),
    total: z.number().int(),
  });

  const History = z.object({ path: z.string(), history: z.array(Commit) });

  const Renamed = z.object({
    old_path: z.string(),
    new_path: z.string(),
    revision,
    updated_pages: z.array(z.string()).describe('Pages whose links to the renamed page were rewritten'),
  });

  const AttachmentInfo = z.object({
    filename: z.string(),
    size: z.number().int(),
    mime_type: z.string(),
    last_modified: z.string(),
  });

  const AttachmentList = z.object({
    path: z.string(),
    attachments: z.array(AttachmentInfo),
    total: z.number().int(),
  });

  return {
    Commit,
    Page,
    PageList,
    SearchResults,
    SemanticResults,
    Links,
    Changelog,
    History,
    Renamed,
    AttachmentInfo,
    AttachmentList,
  };
}

/** The shapes as each door makes them. */
export type ResponseShapes = ReturnType<typeof responseShapes>;
export type Shape<K extends keyof ResponseShapes> = z.output<ResponseShapes[K]>;
