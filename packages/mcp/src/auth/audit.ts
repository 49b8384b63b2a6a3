import type { Logger } from 'pino';

export interface AuditEntry {
  /** `/mcp.v1.McpAgentService/Deploy` */
  method: string;
  /** The authenticated username, or `-` when authentication failed. */
  caller: string;
  /** `ok`, or the gRPC code name of the failure. */
  outcome: string;
  message?: string;
  durationMs: number;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** One JSON line per RPC through the agent's logger (which stamps the time). Never logs tokens. */
export class PinoAuditLog implements AuditLog {
  constructor(private readonly logger: Logger) {}

  record(entry: AuditEntry): void {
    this.logger.info({ audit: true, ...entry }, 'rpc');
  }
}
