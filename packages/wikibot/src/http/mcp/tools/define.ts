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
  return {
    name: spec.name,
    access: spec.access,
    register(server, session) {
      // Registered through the schemas' common type: the SDK validates the arguments against
      // `spec.input` before calling, so they are that schema's output.
      const inputSchema: StandardSchemaWithJSON = spec.input;
      const outputSchema: StandardSchemaWithJSON = spec.output;
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
