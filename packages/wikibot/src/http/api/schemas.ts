import { z } from '@hono/zod-openapi';
import { responseShapes } from '../shapes/schemas.js';

/**
 * The REST API's request shapes and its own response shapes (those it shares with MCP are in
 * shapes/schemas.ts): they validate requests, type the handlers and generate /openapi.json.
 * Field names are otterwiki-api's.
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

const shapes = responseShapes({ revision: Revision, named: (schema, name) => schema.openapi(name) });

export const CommitSchema = shapes.Commit;

export const ErrorSchema = z
  .object({ error: z.string(), current_revision: Revision.optional() })
  .openapi('Error');

export const PageSchema = shapes.Page.extend({ html: z.string().optional() }).openapi('Page');

export const PageListSchema = shapes.PageList.openapi('PageList');

export const WriteResultSchema = z
  .object({ name: z.string(), path: z.string(), revision: Revision, created: z.boolean() })
  .openapi('WriteResult');

export const PatchResultSchema = z
  .object({ name: z.string(), path: z.string(), revision: Revision })
  .openapi('PatchResult');

export const DeleteResultSchema = z
  .object({ deleted: z.literal(true), path: z.string() })
  .openapi('DeleteResult');

export const RenameResultSchema = shapes.Renamed.openapi('RenameResult');

export const HistorySchema = shapes.History.openapi('History');

export const SearchSchema = shapes.SearchResults.openapi('SearchResults');

export const SemanticSearchSchema = shapes.SemanticResults.openapi('SemanticSearchResults');

export const LinksSchema = shapes.Links.openapi('Links');

export const GraphSchema = z
  .object({
    nodes: z.array(z.string()),
    edges: z.array(z.object({ source: z.string(), target: z.string() })),
  })
  .openapi('LinkGraph');

export const ChangelogSchema = shapes.Changelog.openapi('Changelog');

export const AttachmentListSchema = shapes.AttachmentList.openapi('AttachmentList');

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
