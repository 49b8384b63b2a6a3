import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader, type Env, readTomlFile } from './reader.js';

export interface NodeEntry {
  name: string;
  /** host:port of the node's mcp-agent. */
  address: string;
}

/** `mcp.toml`, the operator's CLI config. */
export interface CliConfig {
  path: string;
  servicesDir: string;
  mcias: { serverUrl: string | undefined; serviceName: string; tags: string[]; caCert: string | undefined };
  tokenPath: string;
  /** A token given directly (MCP_AUTH_TOKEN) instead of the token file, for scripts. */
  token: string | undefined;
  /** CA certificate that signed the agents' TLS certificates; the system roots when unset. */
  caCert: string | undefined;
  nodes: NodeEntry[];
}

export const DEFAULT_CLI_CONFIG = join(homedir(), '.config', 'mcp', 'mcp.toml');

/** The CLI config path: `--config`, else MCP_CONFIG, else ~/.config/mcp/mcp.toml. */
export function cliConfigPath(flag: string | undefined, env: Env): string {
  return flag ?? env.MCP_CONFIG ?? DEFAULT_CLI_CONFIG;
}

const NODE_ADDRESS = /^[^\s/]+:\d{1,5}$/;

/** Checks `[[nodes]]`: each needs a unique name and a host:port address. */
export function readNodes(value: unknown, problem: (message: string) => void): NodeEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problem('nodes must be an array of [[nodes]] tables');
    return [];
  }
  const nodes: NodeEntry[] = [];
  value.forEach((item: unknown, index) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const name = entry.name;
    const address = entry.address;
    if (typeof name !== 'string' || name === '') problem(`nodes[${index}].name is required`);
    else if (typeof address !== 'string' || !NODE_ADDRESS.test(address)) {
      problem(`nodes[${index}].address must be host:port`);
    } else if (nodes.some((node) => node.name === name)) problem(`node name "${name}" is used twice`);
    else nodes.push({ name, address });
  });
  return nodes;
}

export async function loadCliConfig(path: string, env: Env = process.env): Promise<CliConfig> {
  const doc = await readTomlFile(path);
  const read = new ConfigReader(doc, env, 'MCP_', path);
  const config: CliConfig = {
    path,
    servicesDir: read.path('services', 'dir'),
    mcias: {
      serverUrl: read.optionalString('mcias', 'server_url'),
      serviceName: read.string('mcias', 'service_name', 'mcp'),
      tags: read.stringList('mcias', 'tags'),
      caCert: read.optionalPath('mcias', 'ca_cert'),
    },
    tokenPath: read.path('auth', 'token_path'),
    token: env.MCP_AUTH_TOKEN || undefined,
    caCert: read.optionalPath('tls', 'ca_cert'),
    nodes: readNodes(doc.nodes, (message) => read.problem(message)),
  };
  read.finish();
  return config;
}
