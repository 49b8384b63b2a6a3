import { dirname, join } from 'node:path';
import { ConfigReader, type Env, readTomlFile } from './reader.js';

export type IdentityConfig =
  | { kind: 'mcias'; serverUrl: string; caCert: string | undefined }
  | { kind: 'oidc'; issuer: string; audience: string; jwksUrl: string | undefined };

export interface MonitorConfig {
  intervalMs: number;
  /** argv run without a shell on drift or flapping; empty: log only. */
  alertCommand: string[];
  flapThreshold: number;
  flapWindowMs: number;
  cooldownMs: number;
  retentionMs: number;
}

/** `mcp-agent.toml`, the per-node agent's config. */
export interface AgentConfig {
  path: string;
  server: { grpcAddr: string; tlsCert: string; tlsKey: string };
  database: { path: string; backupsDir: string };
  identity: IdentityConfig;
  agent: { nodeName: string; containerRuntime: string; filesRoot: string };
  monitor: MonitorConfig;
  log: { level: string };
}

export const MONITOR_DEFAULTS: MonitorConfig = {
  intervalMs: 60_000,
  alertCommand: [],
  flapThreshold: 3,
  flapWindowMs: 10 * 60_000,
  cooldownMs: 15 * 60_000,
  retentionMs: 30 * 86_400_000,
};

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function readIdentity(read: ConfigReader): IdentityConfig {
  const issuer = read.optionalString('oidc', 'issuer');
  if (issuer !== undefined) {
    return {
      kind: 'oidc',
      issuer,
      audience: read.string('oidc', 'audience'),
      jwksUrl: read.optionalString('oidc', 'jwks_url'),
    };
  }
  return {
    kind: 'mcias',
    serverUrl: read.string('mcias', 'server_url'),
    caCert: read.optionalPath('mcias', 'ca_cert'),
  };
}

function readRuntime(read: ConfigReader): string {
  const runtime = read.string('agent', 'container_runtime', 'podman');
  if (runtime !== 'podman' && !runtime.endsWith('/podman')) {
    read.problem('[agent] container_runtime must be "podman" or the path of a podman binary');
  }
  return runtime;
}

export async function loadAgentConfig(path: string, env: Env = process.env): Promise<AgentConfig> {
  const read = new ConfigReader(await readTomlFile(path), env, 'MCP_AGENT_', path);
  const databasePath = read.path('database', 'path');
  const config: AgentConfig = {
    path,
    server: {
      grpcAddr: read.string('server', 'grpc_addr'),
      tlsCert: read.path('server', 'tls_cert'),
      tlsKey: read.path('server', 'tls_key'),
    },
    database: {
      path: databasePath,
      backupsDir: read.path(
        'database',
        'backups_dir',
        databasePath && join(dirname(databasePath), 'backups'),
      ),
    },
    identity: readIdentity(read),
    agent: {
      nodeName: read.string('agent', 'node_name'),
      containerRuntime: readRuntime(read),
      filesRoot: read.path('agent', 'files_root', '/srv'),
    },
    monitor: {
      intervalMs: read.duration('monitor', 'interval', MONITOR_DEFAULTS.intervalMs),
      alertCommand: read.stringList('monitor', 'alert_command'),
      flapThreshold: read.int('monitor', 'flap_threshold', MONITOR_DEFAULTS.flapThreshold, 1),
      flapWindowMs: read.duration('monitor', 'flap_window', MONITOR_DEFAULTS.flapWindowMs),
      cooldownMs: read.duration('monitor', 'cooldown', MONITOR_DEFAULTS.cooldownMs),
      retentionMs: read.duration('monitor', 'retention', MONITOR_DEFAULTS.retentionMs),
    },
    log: { level: read.string('log', 'level', 'info') },
  };
  if (!LOG_LEVELS.has(config.log.level))
    read.problem(`[log] level must be one of ${[...LOG_LEVELS].join(', ')}`);
  if (config.server.grpcAddr !== '' && parseListenAddress(config.server.grpcAddr) === undefined) {
    read.problem('[server] grpc_addr must be host:port');
  }
  read.finish();
  return config;
}

/** `host:port`, `[::1]:9444` or `:9444` (all interfaces). */
export function parseListenAddress(address: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
