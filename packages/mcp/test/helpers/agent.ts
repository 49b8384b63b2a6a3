import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { agentLogger, type RunningAgent, startAgent } from '../../src/agent/bootstrap.js';
import { type AgentConnection, connectAgent } from '../../src/cli/client.js';
import { type AgentConfig, loadAgentConfig } from '../../src/config/agent.js';
import { makeCertificate, type TestCertificate } from './tls.js';

export interface TestAgent {
  agent: RunningAgent;
  config: AgentConfig;
  address: string;
  cert: TestCertificate;
  /** Every JSON log line the agent wrote. */
  logs: Record<string, unknown>[];
  audit(): Record<string, unknown>[];
  connect(token: string): AgentConnection;
  close(): Promise<void>;
}

export interface TestAgentOptions {
  dir: string;
  identityUrl: string;
  nodeName?: string;
  filesRoot?: string;
  alertCommand?: string[];
  /** Long by default: tests drive the monitor with tick(). */
  monitorInterval?: string;
  extraToml?: string;
}

/** Starts a real agent (gRPC over TLS on 127.0.0.1, port 0) from a config file written to `dir`. */
export async function startTestAgent(options: TestAgentOptions): Promise<TestAgent> {
  const cert = await makeCertificate(options.dir);
  const configPath = join(options.dir, 'mcp-agent.toml');
  await writeFile(
    configPath,
    [
      '[server]',
      'grpc_addr = "127.0.0.1:0"',
      `tls_cert = "${cert.certPath}"`,
      `tls_key = "${cert.keyPath}"`,
      '[database]',
      'path = "registry/mcp.db"',
      '[mcias]',
      `server_url = "${options.identityUrl}"`,
      '[agent]',
      `node_name = "${options.nodeName ?? 'node1'}"`,
      `files_root = "${options.filesRoot ?? join(options.dir, 'srv')}"`,
      '[monitor]',
      `interval = "${options.monitorInterval ?? '1h'}"`,
      `alert_command = ${JSON.stringify(options.alertCommand ?? [])}`,
      '[log]',
      'level = "info"',
      options.extraToml ?? '',
    ].join('\n'),
  );
  const config = await loadAgentConfig(configPath, {});
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') logs.push(JSON.parse(line));
      callback();
    },
  });
  const agent = await startAgent(config, { logger: agentLogger(config, sink) });
  const address = `127.0.0.1:${agent.server.port}`;
  const connections: AgentConnection[] = [];
  return {
    agent,
    config,
    address,
    cert,
    logs,
    audit: () => logs.filter((line) => line.audit === true),
    connect(token) {
      const connection = connectAgent(address, token, cert.cert);
      connections.push(connection);
      return connection;
    },
    async close() {
      for (const connection of connections) connection.close();
      await agent.close();
    },
  };
}
