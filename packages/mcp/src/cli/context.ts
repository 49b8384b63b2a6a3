import { readFile } from 'node:fs/promises';
import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';
import { ConnectError } from '@connectrpc/connect';
import { readToken } from '../auth/token-file.js';
import { grpcCodeName } from '../common/grpc-code.js';
import { type CliConfig, cliConfigPath, loadCliConfig, type NodeEntry } from '../config/cli.js';
import type { Env } from '../config/reader.js';
import { type AgentConnection, connectAgent } from './client.js';

export interface Writer {
  write(text: string): unknown;
}

/** Where a CLI run reads and writes; tests pass their own. */
export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: Writer;
  stderr: Writer;
  env: Env;
}

/** A user-facing failure: printed without a stack trace, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** An error as one line for the operator: gRPC errors keep their code name. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectError) return `${grpcCodeName(error.code)}: ${error.rawMessage}`;
  return error instanceof Error ? error.message : String(error);
}

/** Shared state of one `mcp` invocation: config, output mode, agent connections. */
export class Cli {
  private loaded: CliConfig | undefined;
  private readonly connections = new Map<string, AgentConnection>();
  json = false;
  configFlag: string | undefined;
  /** Set by a command that partly failed: the run exits with 1. */
  failed = false;

  constructor(readonly io: CliIO) {}

  async config(): Promise<CliConfig> {
    this.loaded ??= await loadCliConfig(cliConfigPath(this.configFlag, this.io.env), this.io.env);
    return this.loaded;
  }

  configPath(): string {
    return cliConfigPath(this.configFlag, this.io.env);
  }

  /** The configured node called `name`. */
  async node(name: string): Promise<NodeEntry> {
    const config = await this.config();
    const node = config.nodes.find((entry) => entry.name === name);
    if (!node) {
      const known = config.nodes.map((entry) => entry.name).join(', ') || 'none';
      throw new CliError(`unknown node "${name}" (configured: ${known}); add it with "mcp node add"`);
    }
    return node;
  }

  /** The nodes a command addresses: the one named, or every configured node. */
  async nodes(only?: string): Promise<NodeEntry[]> {
    if (only !== undefined) return [await this.node(only)];
    const config = await this.config();
    if (config.nodes.length === 0)
      throw new CliError('no nodes configured; add one with "mcp node add NAME HOST:PORT"');
    return config.nodes;
  }

  /** The node named by `--node`, or the only configured node. */
  async singleNode(flag: string | undefined, what: string): Promise<NodeEntry> {
    if (flag !== undefined) return this.node(flag);
    const config = await this.config();
    if (config.nodes.length === 1 && config.nodes[0]) return config.nodes[0];
    throw new CliError(`${what}: say which node with --node NAME`);
  }

  /** A connected client for a node; closed by `close()`. */
  async agent(node: NodeEntry): Promise<AgentConnection['client']> {
    let connection = this.connections.get(node.name);
    if (!connection) {
      const config = await this.config();
      const token = config.token ?? (await readToken(config.tokenPath));
      const ca = config.caCert ? await readFile(config.caCert) : undefined;
      connection = connectAgent(node.address, token, ca);
      this.connections.set(node.name, connection);
    }
    return connection.client;
  }

  /**
   * Runs `work` against each node in turn; a node that fails is reported on stderr and marks the run
   * failed, and the others still run. Returns the successful results by node.
   */
  async eachNode<T>(
    nodes: NodeEntry[],
    work: (node: NodeEntry) => Promise<T>,
  ): Promise<{ node: NodeEntry; result: T }[]> {
    const done: { node: NodeEntry; result: T }[] = [];
    for (const node of nodes) {
      try {
        done.push({ node, result: await work(node) });
      } catch (error) {
        this.failed = true;
        this.warn(`node ${node.name} (${node.address}): ${describeError(error)}`);
      }
    }
    return done;
  }

  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }

  print(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  printJson(value: unknown): void {
    this.print(JSON.stringify(value, null, 2));
  }

  /** A response message as JSON (proto field names in camelCase, timestamps as RFC 3339). */
  messageJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): unknown {
    return toJson(schema, message, { alwaysEmitImplicit: true });
  }
}
