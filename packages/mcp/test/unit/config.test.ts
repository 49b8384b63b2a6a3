import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAgentConfig, MONITOR_DEFAULTS, parseListenAddress } from '../../src/config/agent.js';
import { loadCliConfig } from '../../src/config/cli.js';
import { parseDuration } from '../../src/config/duration.js';
import { tempDir } from '../helpers/tmp.js';

const AGENT = `
[server]
grpc_addr = "0.0.0.0:9444"
tls_cert = "/etc/mcp/agent.pem"
tls_key = "/etc/mcp/agent-key.pem"

[database]
path = "/var/lib/mcp/mcp.db"

[mcias]
server_url = "https://mcias.example:8443"

[agent]
node_name = "node1"
container_runtime = "podman"

[monitor]
interval = "30s"
alert_command = ["/usr/local/bin/notify", "--channel", "ops"]
flap_threshold = 5
flap_window = "20m"
cooldown = "1h"
retention = "7d"

[log]
level = "debug"
`;

const CLI = `
[services]
dir = "services"

[mcias]
server_url = "https://mcias.example:8443"
service_name = "mcp"

[auth]
token_path = "~/.config/mcp/token"

[tls]
ca_cert = "/etc/mcp/ca.pem"

[[nodes]]
name = "node1"
address = "node1.example:9444"

[[nodes]]
name = "node2"
address = "10.0.0.2:9444"
`;

describe('config', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => dir.cleanup());

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir.path, name);
    await writeFile(path, text);
    return path;
  }

  it('loads every agent key', async () => {
    const config = await loadAgentConfig(await file('mcp-agent.toml', AGENT), {});
    expect(config.server).toEqual({
      grpcAddr: '0.0.0.0:9444',
      tlsCert: '/etc/mcp/agent.pem',
      tlsKey: '/etc/mcp/agent-key.pem',
    });
    expect(config.database).toEqual({ path: '/var/lib/mcp/mcp.db', backupsDir: '/var/lib/mcp/backups' });
    expect(config.identity).toEqual({
      kind: 'mcias',
      serverUrl: 'https://mcias.example:8443',
      caCert: undefined,
    });
    expect(config.agent).toEqual({ nodeName: 'node1', containerRuntime: 'podman', filesRoot: '/srv' });
    expect(config.monitor).toEqual({
      intervalMs: 30_000,
      alertCommand: ['/usr/local/bin/notify', '--channel', 'ops'],
      flapThreshold: 5,
      flapWindowMs: 20 * 60_000,
      cooldownMs: 3_600_000,
      retentionMs: 7 * 86_400_000,
    });
    expect(config.log.level).toBe('debug');
  });

  it('uses the documented monitor defaults', async () => {
    const path = await file('a.toml', AGENT.replace(/\[monitor\][\s\S]*(?=\[log\])/, ''));
    expect((await loadAgentConfig(path, {})).monitor).toEqual(MONITOR_DEFAULTS);
    expect(MONITOR_DEFAULTS).toMatchObject({
      intervalMs: 60_000,
      flapThreshold: 3,
      flapWindowMs: 600_000,
      cooldownMs: 900_000,
      retentionMs: 30 * 86_400_000,
    });
  });

  it('lets MCP_AGENT_* environment variables override the file', async () => {
    const config = await loadAgentConfig(await file('a.toml', AGENT), {
      MCP_AGENT_SERVER_GRPC_ADDR: '127.0.0.1:7000',
      MCP_AGENT_AGENT_NODE_NAME: 'node9',
      MCP_AGENT_MONITOR_INTERVAL: '5s',
      MCP_AGENT_MONITOR_ALERT_COMMAND: '["/bin/alert", "two words"]',
      MCP_AGENT_MONITOR_FLAP_THRESHOLD: '7',
      MCP_AGENT_LOG_LEVEL: 'warn',
    });
    expect(config.server.grpcAddr).toBe('127.0.0.1:7000');
    expect(config.agent.nodeName).toBe('node9');
    expect(config.monitor.intervalMs).toBe(5000);
    expect(config.monitor.alertCommand).toEqual(['/bin/alert', 'two words']);
    expect(config.monitor.flapThreshold).toBe(7);
    expect(config.log.level).toBe('warn');
  });

  it('fails naming every missing required key', async () => {
    const path = await file('empty.toml', '[log]\nlevel = "info"\n');
    await expect(loadAgentConfig(path, {})).rejects.toThrow(
      `${path}: missing required key [database] path (or MCP_AGENT_DATABASE_PATH), [server] grpc_addr (or MCP_AGENT_SERVER_GRPC_ADDR), [server] tls_cert (or MCP_AGENT_SERVER_TLS_CERT), [server] tls_key (or MCP_AGENT_SERVER_TLS_KEY), [mcias] server_url (or MCP_AGENT_MCIAS_SERVER_URL), [agent] node_name (or MCP_AGENT_AGENT_NODE_NAME)`,
    );
    const fromEnv = await loadAgentConfig(path, {
      MCP_AGENT_DATABASE_PATH: '/tmp/x.db',
      MCP_AGENT_SERVER_GRPC_ADDR: ':9444',
      MCP_AGENT_SERVER_TLS_CERT: '/c',
      MCP_AGENT_SERVER_TLS_KEY: '/k',
      MCP_AGENT_MCIAS_SERVER_URL: 'http://127.0.0.1:1',
      MCP_AGENT_AGENT_NODE_NAME: 'n',
    });
    expect(fromEnv.agent.nodeName).toBe('n');
  });

  it('refuses wrong types and values, naming the key', async () => {
    const bad = AGENT.replace('interval = "30s"', 'interval = "soon"')
      .replace('flap_threshold = 5', 'flap_threshold = "many"')
      .replace('level = "debug"', 'level = "loud"')
      .replace('container_runtime = "podman"', 'container_runtime = "docker"');
    const error = await loadAgentConfig(await file('bad.toml', bad), {}).catch((e: Error) => e.message);
    expect(error).toContain('[monitor] interval must be a duration such as "60s", "10m" or "30d"');
    expect(error).toContain('[monitor] flap_threshold must be an integer ≥ 1');
    expect(error).toContain('[agent] container_runtime must be "podman" or the path of a podman binary');
    expect(error).toContain('[log] level must be one of fatal, error, warn, info, debug, trace, silent');
    await expect(loadAgentConfig(join(dir.path, 'nope.toml'), {})).rejects.toThrow(
      /config file .*nope.toml not found/,
    );
    await expect(loadAgentConfig(await file('syntax.toml', 'server = ['), {})).rejects.toThrow(
      /invalid TOML/,
    );
  });

  it('uses an OIDC issuer instead of MCIAS when [oidc] is configured, and requires its audience', async () => {
    const oidc = AGENT.replace(
      /\[mcias\][^[]*/,
      '[oidc]\nissuer = "https://wiki.example"\naudience = "mcp-agent"\n',
    );
    expect((await loadAgentConfig(await file('o.toml', oidc), {})).identity).toEqual({
      kind: 'oidc',
      issuer: 'https://wiki.example',
      audience: 'mcp-agent',
      jwksUrl: undefined,
    });
    const noAudience = oidc.replace('audience = "mcp-agent"', '');
    await expect(loadAgentConfig(await file('o2.toml', noAudience), {})).rejects.toThrow(
      /missing required key \[oidc\] audience \(or MCP_AGENT_OIDC_AUDIENCE\)/,
    );
  });

  it('loads the CLI config with nodes, resolving paths', async () => {
    const path = await file('mcp.toml', CLI);
    const config = await loadCliConfig(path, {});
    expect(config.servicesDir).toBe(join(dir.path, 'services'));
    expect(config.tokenPath).toBe(join(homedir(), '.config/mcp/token'));
    expect(config.mcias).toEqual({
      serverUrl: 'https://mcias.example:8443',
      serviceName: 'mcp',
      tags: [],
      caCert: undefined,
    });
    expect(config.caCert).toBe('/etc/mcp/ca.pem');
    expect(config.nodes).toEqual([
      { name: 'node1', address: 'node1.example:9444' },
      { name: 'node2', address: '10.0.0.2:9444' },
    ]);
  });

  it('lets MCP_* environment variables override the CLI config', async () => {
    const config = await loadCliConfig(await file('mcp.toml', CLI), {
      MCP_SERVICES_DIR: '/defs',
      MCP_AUTH_TOKEN_PATH: '/tokens/t',
      MCP_MCIAS_SERVER_URL: 'https://other.example',
      MCP_AUTH_TOKEN: 'from-env',
    });
    expect(config.servicesDir).toBe('/defs');
    expect(config.tokenPath).toBe('/tokens/t');
    expect(config.mcias.serverUrl).toBe('https://other.example');
    expect(config.token).toBe('from-env');
  });

  it('names missing CLI keys and bad nodes', async () => {
    const path = await file(
      'cli.toml',
      '[[nodes]]\nname = "a"\naddress = "nohost"\n[[nodes]]\naddress = "h:1"\n',
    );
    await expect(loadCliConfig(path, {})).rejects.toThrow(
      `${path}: missing required key [services] dir (or MCP_SERVICES_DIR), [auth] token_path (or MCP_AUTH_TOKEN_PATH); nodes[0].address must be host:port; nodes[1].name is required`,
    );
  });
});

describe('durations and listen addresses', () => {
  it('parses durations', () => {
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('30d')).toBe(2_592_000_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration(15)).toBe(15_000);
    expect(parseDuration('10 minutes')).toBeUndefined();
    expect(parseDuration('5x')).toBeUndefined();
  });

  it('parses listen addresses', () => {
    expect(parseListenAddress('0.0.0.0:9444')).toEqual({ host: '0.0.0.0', port: 9444 });
    expect(parseListenAddress(':9444')).toEqual({ host: '0.0.0.0', port: 9444 });
    expect(parseListenAddress('[::1]:9444')).toEqual({ host: '::1', port: 9444 });
    expect(parseListenAddress('host')).toBeUndefined();
    expect(parseListenAddress('h:99999')).toBeUndefined();
  });
});
