import type { ContentBlock, McpServer, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { failureText } from '../failures.js';
import type { McpSession, ToolAccess } from '../session.js';

/** What a tool returns: otterwiki-mcp's text, the same data structured, and optional extra content. */
export interface ToolAnswer<T> {
  text: string;
  structured: T;
  extra?: ContentBlock[];
}

/** A tool as the door knows it: its name, the access it needs, and how to add it to a server. */
export interface ToolEntry {
  readonly name: string;
  readonly access: ToolAccess;
  register(server: McpServer, session: McpSession): void;
}

export interface ToolSpec<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  access: ToolAccess;
  description: string;
  input: I;
  output: O;
  /** Whether the tool may destroy content (delete tools). */
  destructive?: boolean;
  run(args: z.output<I>, session: McpSession): Promise<ToolAnswer<z.output<O>>>;
}

/**
 * Define a tool once: its schemas, its behaviour, and its failures as `isError` results carrying the
 * texts agents know from otterwiki-mcp.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(spec: ToolSpec<I, O>): ToolEntry {
  const readOnly = spec.access === 'read';
  const inputSchema = withJsonSchemaOnce(spec.input);
  const outputSchema = withJsonSchemaOnce(spec.output);
  return {
    name: spec.name,
    access: spec.access,
    register(server, session) {
      server.registerTool(
        spec.name,
        {
          description: spec.description,
          inputSchema,
          outputSchema,
          annotations: {
            readOnlyHint: readOnly,
            ...(readOnly ? {} : { destructiveHint: spec.destructive ?? false }),
            openWorldHint: false,
          },
        },
        async (args) => {
          try {
            // Registered through the schemas' common type: the SDK validated the arguments against
            // `spec.input` before calling, so they are that schema's output.
            const answer = await spec.run(args as z.output<I>, session);
            const structuredContent: Record<string, unknown> = answer.structured;
            return {
              content: [{ type: 'text', text: answer.text }, ...(answer.extra ?? [])],
              structuredContent,
            };
          } catch (error) {
            const text = failureText(error, pathArgument(args), session.logger);
            return { content: [{ type: 'text', text }], isError: true };
          }
        },
      );
    },
  };
}

/** The page a call named, for failure texts. */
function pathArgument(args: unknown): string | undefined {
  if (typeof args !== 'object' || args === null || !('path' in args)) return undefined;
  return typeof args.path === 'string' ? args.path : undefined;
}

type JsonSchemaOptions = Parameters<StandardSchemaWithJSON['~standard']['jsonSchema']['input']>[0];

/**
 * The schema, with its JSON Schema converted once per process: servers are built per request, and
 * converting every tool's schemas again for each `tools/list` or `tools/call` would cost more than
 * serving the call. Each caller gets its own copy of the cached document.
 */
function withJsonSchemaOnce(schema: z.ZodObject): StandardSchemaWithJSON {
  const standard = schema['~standard'];
  const converted = new Map<string, Record<string, unknown>>();
  const convert = (io: 'input' | 'output') => (options: JsonSchemaOptions) => {
    const key = `${io} ${options.target}`;
    let json = converted.get(key);
    if (!json) {
      json = standard.jsonSchema[io](options);
      converted.set(key, json);
    }
    return structuredClone(json);
  };
  return { '~standard': { ...standard, jsonSchema: { input: convert('input'), output: convert('output') } } };
}
