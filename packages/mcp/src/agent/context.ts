import type { Logger } from 'pino';
import type { SerialQueue } from '../common/serial.js';
import type { MonitorConfig } from '../config/agent.js';
import type { Registry } from '../registry/registry.js';
import type { Runtime } from '../runtime/runtime.js';

/** Everything the RPC handlers and the monitor share on one node. */
export interface AgentContext {
  registry: Registry;
  runtime: Runtime;
  /** Every change to containers, and every monitor pass, runs through this queue. */
  queue: SerialQueue;
  nodeName: string;
  /** Files pushed for a service live under `<filesRoot>/<service>/`. */
  filesRoot: string;
  logger: Logger;
  startedAt: Date;
  version: string;
  /** Flap window and threshold, which `status` applies too. */
  monitor: MonitorConfig;
}
