import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Scope } from '../../platform/tokens.js';
import type { AppDeps, AppEnv } from '../context.js';
import {
  AttachmentDeletedSchema,
  AttachmentListSchema,
  AttachmentSchema,
  ChangelogSchema,
  DeleteBody,
  DeleteResultSchema,
  ErrorSchema,
  GraphSchema,
  HistorySchema,
  LimitQuery,
  LinksSchema,
  ListQuery,
  PageListSchema,
  PageSchema,
  PatchBody,
  PatchResultSchema,
  ReadQuery,
  ReindexStatusSchema,
  RenameBody,
  RenameResultSchema,
  SearchQuery,
  SearchSchema,
  SemanticSearchQuery,
  SemanticSearchSchema,
  UploadBody,
  UploadResultSchema,
  WriteBody,
  WriteResultSchema,
} from './schemas.js';

type Method = 'get' | 'put' | 'patch' | 'delete' | 'post';

export interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  scope: Scope;
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; schema: z.ZodType };
}

const page = '/pages/{path}';

/** Every REST route, described with the same schemas that validate it. */
const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/pages',
    summary: 'List pages',
    scope: 'wiki:read',
    query: ListQuery,
    ok: { status: 200, schema: PageListSchema },
  },
  {
    method: 'get',
    path: page,
    summary: 'Read a page',
    scope: 'wiki:read',
    query: ReadQuery,
    ok: { status: 200, schema: PageSchema },
  },
  {
    method: 'put',
    path: page,
    summary: 'Create or update a page',
    scope: 'wiki:write',
    body: WriteBody,
    ok: { status: 200, schema: WriteResultSchema },
  },
  {
    method: 'patch',
    path: page,
    summary: 'Replace one passage of a page',
    scope: 'wiki:write',
    body: PatchBody,
    ok: { status: 200, schema: PatchResultSchema },
  },
  {
    method: 'delete',
    path: page,
    summary: 'Delete a page',
    scope: 'wiki:write',
    body: DeleteBody,
    ok: { status: 200, schema: DeleteResultSchema },
  },
  {
    method: 'post',
    path: `${page}/rename`,
    summary: 'Rename a page, rewriting links to it',
    scope: 'wiki:write',
    body: RenameBody,
    ok: { status: 200, schema: RenameResultSchema },
  },
  {
    method: 'get',
    path: `${page}/history`,
    summary: 'History of a page',
    scope: 'wiki:read',
    query: LimitQuery,
    ok: { status: 200, schema: HistorySchema },
  },
  {
    method: 'get',
    path: '/search',
    summary: 'Search pages: hybrid (BM25 + vectors, fused by reciprocal rank), fulltext or semantic',
    scope: 'wiki:read',
    query: SearchQuery,
    ok: { status: 200, schema: SearchSchema },
  },
  {
    method: 'get',
    path: '/semantic-search',
    summary: 'Chunks closest in meaning (503 without an embedding model)',
    scope: 'wiki:read',
    query: SemanticSearchQuery,
    ok: { status: 200, schema: SemanticSearchSchema },
  },
  {
    method: 'get',
    path: '/links',
    summary: 'The whole link graph',
    scope: 'wiki:read',
    ok: { status: 200, schema: GraphSchema },
  },
  {
    method: 'get',
    path: '/links/{path}',
    summary: 'Links of a page',
    scope: 'wiki:read',
    ok: { status: 200, schema: LinksSchema },
  },
  {
    method: 'get',
    path: '/changelog',
    summary: 'Recent changes',
    scope: 'wiki:read',
    query: LimitQuery,
    ok: { status: 200, schema: ChangelogSchema },
  },
  {
    method: 'get',
    path: `${page}/attachments`,
    summary: 'List attachments',
    scope: 'wiki:read',
    ok: { status: 200, schema: AttachmentListSchema },
  },
  {
    method: 'post',
    path: `${page}/attachments`,
    summary: 'Upload an attachment (base64)',
    scope: 'wiki:write',
    body: UploadBody,
    ok: { status: 201, schema: UploadResultSchema },
  },
  {
    method: 'get',
    path: `${page}/attachments/{filename}`,
    summary: 'Download an attachment',
    scope: 'wiki:read',
    ok: { status: 200, schema: AttachmentSchema },
  },
  {
    method: 'delete',
    path: `${page}/attachments/{filename}`,
    summary: 'Delete an attachment',
    scope: 'wiki:write',
    body: DeleteBody,
    ok: { status: 200, schema: AttachmentDeletedSchema },
  },
  {
    method: 'post',
    path: '/reindex',
    summary: 'Rebuild the index',
    scope: 'wiki:write',
    ok: { status: 202, schema: ReindexStatusSchema.pick({ status: true }) },
  },
  {
    method: 'get',
    path: '/reindex/status',
    summary: 'Index rebuild status and embedding queue (length, lag)',
    scope: 'wiki:read',
    ok: { status: 200, schema: ReindexStatusSchema },
  },
];

export const ERRORS: Record<number, string> = {
  401: 'Missing or invalid credentials',
  403: 'The credential lacks the scope or wiki',
  404: 'Not found',
  409: 'Conflict (stale revision, existing target)',
  413: 'Too large',
  422: 'Invalid input; the message names the rule',
  503: 'Unavailable (e.g. semantic search without an embedding model); the message says why',
  429: 'Too many requests; Retry-After says when to try again',
};

/** Register the documentation of every route and serve it at /openapi.json (OpenAPI 3.1). */
export function registerOpenApi(api: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  registerRouteDocs(api, ROUTES, ERRORS);
  api.get('/openapi.json', (c) => {
    const slug = c.get('wiki').slug;
    return c.json(
      api.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: `wikibot REST API — ${slug}`, version: '1' },
        servers: [{ url: `${deps.baseUrl()}/w/${slug}/api/v1` }],
      }),
    );
  });
}

/** Describe routes in an API's OpenAPI registry with the schemas that validate them. */
export function registerRouteDocs(
  api: OpenAPIHono<AppEnv>,
  routes: readonly RouteDoc[],
  errors: Record<number, string>,
): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of routes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    api.openAPIRegistry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      security: [{ bearer: [route.scope] }],
      request: {
        ...(params.length
          ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) }
          : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses: {
        [route.ok.status]: {
          description: 'OK',
          content: { 'application/json': { schema: route.ok.schema } },
        },
        ...Object.fromEntries(
          Object.entries(errors).map(([status, description]) => [
            status,
            { description, content: { 'application/json': { schema: ErrorSchema } } },
          ]),
        ),
      },
    });
  }
}
