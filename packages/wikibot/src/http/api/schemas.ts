import { z } from '@hono/zod-openapi';

/**
 * The REST API's request and response shapes, declared once: they validate requests, type the
 * handlers and generate /openapi.json. Field names are otterwiki-api's.
 */

const required = (field: string, kind = 'a string') => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? `Request body must include '${field}' field` : `'${field}' must be ${kind}`,
});

const commitMessage = z.string('commit_message must be a string').max(10_000).optional();

export const WriteBody = z
  .object({
    content: z.string(required('content')),
    commit_message: commitMessage,
    revision: z.string('revision must be a string').optional(),
  })
  .openapi('WritePage');

export const PatchBody = z
  .object({
    revision: z.string({
      error: (i) =>
        i.input === undefined ? 'Missing required field: revision' : "'revision' must be a string",
    }),
    old_string: z.string({
      error: (i) =>
        i.input === undefined ? 'Missing required field: old_string' : "'old_string' must be a string",
    }),
    new_string: z.string({
      error: (i) =>
        i.input === undefined ? 'Missing required field: new_string' : "'new_string' must be a string",
    }),
    commit_message: commitMessage,
  })
  .openapi('PatchPage');

export const DeleteBody = z.object({ commit_message: commitMessage }).openapi('DeletePage');

export const RenameBody = z
  .object({ new_path: z.string(required('new_path')), commit_message: commitMessage })
  .openapi('RenamePage');

export const UploadBody = z
  .object({
    filename: z.string(required('filename')),
    content: z.string(required('content', 'a base64 string')),
    commit_message: commitMessage,
  })
  .openapi('UploadAttachment');

const Revision = z
  .string()
  .regex(/^[0-9a-f]{40}$/)
  .openapi({ description: '40-hex commit id' });

export const CommitSchema = z
  .object({ revision: Revision, author: z.string(), date: z.string(), message: z.string() })
  .openapi('Commit');

export const ErrorSchema = z
  .object({ error: z.string(), current_revision: Revision.optional() })
  .openapi('Error');

export const PageSchema = z
  .object({
    name: z.string(),
    path: z.string(),
    content: z.string(),
    frontmatter: z.record(z.string(), z.unknown()).nullable(),
    links_to: z.array(z.string()),
    linked_from: z.array(z.string()),
    revision: Revision,
    last_commit: CommitSchema,
    html: z.string().optional(),
    section: z.string().optional(),
  })
  .openapi('Page');

export const PageListSchema = z
  .object({
    pages: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        category: z.string().nullable(),
        tags: z.array(z.string()),
        last_updated: z.string().nullable(),
        content_length: z.number().int(),
      }),
    ),
    total: z.number().int(),
  })
  .openapi('PageList');

export const WriteResultSchema = z
  .object({ name: z.string(), path: z.string(), revision: Revision, created: z.boolean() })
  .openapi('WriteResult');

export const PatchResultSchema = z
  .object({ name: z.string(), path: z.string(), revision: Revision })
  .openapi('PatchResult');

export const DeleteResultSchema = z
  .object({ deleted: z.literal(true), path: z.string() })
  .openapi('DeleteResult');

export const RenameResultSchema = z
  .object({
    old_path: z.string(),
    new_path: z.string(),
    revision: Revision,
    updated_pages: z.array(z.string()),
  })
  .openapi('RenameResult');

export const HistorySchema = z
  .object({ path: z.string(), history: z.array(CommitSchema) })
  .openapi('History');

export const SearchSchema = z
  .object({
    query: z.string(),
    results: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        snippet: z.string().openapi({ description: 'Plain text around the first hit, the hits between **' }),
        score: z.number(),
      }),
    ),
    total: z.number().int().openapi({ description: 'Every page matched, not only those in results' }),
  })
  .openapi('SearchResults');

export const SemanticSearchSchema = z
  .object({
    query: z.string(),
    results: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        text: z.string().openapi({ description: 'The chunk as embedded, with its [Title > Heading] prefix' }),
        snippet: z.string(),
        distance: z.number().openapi({ description: '1 − cosine similarity; lower is closer' }),
        section: z.string(),
        section_path: z
          .string()
          .openapi({ description: 'Page title and up to three headings, joined by " > "' }),
        chunk_index: z.number().int(),
        total_chunks: z.number().int(),
        page_word_count: z.number().int(),
      }),
    ),
    total: z.number().int(),
  })
  .openapi('SemanticSearchResults');

export const LinksSchema = z
  .object({ path: z.string(), links_to: z.array(z.string()), linked_from: z.array(z.string()) })
  .openapi('Links');

export const GraphSchema = z
  .object({
    nodes: z.array(z.string()),
    edges: z.array(z.object({ source: z.string(), target: z.string() })),
  })
  .openapi('LinkGraph');

export const ChangelogSchema = z
  .object({
    entries: z.array(CommitSchema.extend({ pages_affected: z.array(z.string()) })),
    total: z.number().int(),
  })
  .openapi('Changelog');

const AttachmentInfoSchema = z.object({
  filename: z.string(),
  size: z.number().int(),
  mime_type: z.string(),
  last_modified: z.string(),
});

export const AttachmentListSchema = z
  .object({ attachments: z.array(AttachmentInfoSchema), total: z.number().int(), path: z.string() })
  .openapi('AttachmentList');

export const UploadResultSchema = z
  .object({ filename: z.string(), path: z.string(), size: z.number().int(), mime_type: z.string() })
  .openapi('UploadResult');

export const AttachmentSchema = z
  .object({ filename: z.string(), content: z.string(), size: z.number().int(), mime_type: z.string() })
  .openapi('Attachment');

export const AttachmentDeletedSchema = z
  .object({ deleted: z.literal(true), filename: z.string() })
  .openapi('AttachmentDeleted');

export const ReindexStatusSchema = z
  .object({
    status: z.enum(['idle', 'in_progress', 'complete', 'error']),
    pages_done: z.number().int(),
    pages_total: z.number().int(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    error: z.string().nullable(),
    queue_length: z.number().int().openapi({ description: 'Chunk texts waiting to be embedded' }),
    queue_lag_seconds: z.number().openapi({ description: 'Age of the oldest waiting text (0 when none)' }),
    chunks_total: z.number().int(),
    chunks_embedded: z.number().int().openapi({ description: 'Chunks with a vector from the current model' }),
    embedding_provider: z.string().nullable(),
    embedding_unavailable: z
      .string()
      .nullable()
      .openapi({ description: 'Why semantic search is unavailable' }),
  })
  .openapi('ReindexStatus');

/** Query parameters, validated the same way. */
export const Paging = {
  limit: z.coerce
    .number()
    .int('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(1000, 'limit must be at most 1000'),
  offset: z.coerce.number().int('offset must be an integer').min(0, 'offset must not be negative'),
};

export const ListQuery = z.object({
  prefix: z.string().optional(),
  category: z.string().optional(),
  tag: z.string().optional(),
  updated_since: z.string().optional(),
  limit: Paging.limit.optional(),
  offset: Paging.offset.optional(),
});

export const ReadQuery = z.object({
  revision: z.string().optional(),
  section: z.string().optional(),
  format: z.enum(['markdown', 'html'], "format must be 'markdown' or 'html'").optional(),
});

export const SearchQuery = z.object({
  q: z.string().optional().openapi({
    description:
      'Words (all required), "quoted phrases" and prefix* (at least 3 characters); the last word also matches as a prefix. At most 500 characters and 10 terms by default ([search] in the configuration)',
  }),
  limit: Paging.limit.optional().openapi({ description: 'Results per answer, at most 100 by default' }),
  offset: Paging.offset.optional(),
  mode: z
    .enum(['hybrid', 'fulltext', 'semantic'], "mode must be 'hybrid', 'fulltext' or 'semantic'")
    .optional()
    .openapi({ description: 'Default: hybrid when an embedding model is ready, else fulltext' }),
});

/** Like otterwiki-semantic-search, integers out of range are clamped and non-integers mean the default. */
export const SemanticSearchQuery = z.object({
  q: z.string().optional(),
  n: z.string().optional().openapi({ description: 'Results, 1–50 (default 5)' }),
  max_chunks_per_page: z.string().optional().openapi({ description: 'Chunks per page, 1–5 (default 2)' }),
});

export const LimitQuery = z.object({ limit: Paging.limit.optional(), offset: Paging.offset.optional() });
