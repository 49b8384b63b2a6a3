import { execFile } from 'node:child_process';
import type { AlertKey } from '../registry/types.js';

export type AlertType = 'drift' | 'flap';

export interface Alert {
  type: AlertType;
  service: string;
  component: string;
  node: string;
  desired: string;
  observed: string;
}

const ALERT_TIMEOUT_MS = 30_000;

/** Drift has two directions: `down` (meant to run, does not) and `up` (meant to be stopped, runs). */
export function alertKey(alert: Alert): AlertKey {
  const direction = alert.type === 'flap' ? '' : alert.desired === 'running' ? 'down' : 'up';
  return { service: alert.service, component: alert.component, kind: alert.type, direction };
}

/** The environment an alert command sees: the agent's own plus MCP_ALERT_TYPE and friends. */
export function alertEnvironment(alert: Alert, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    MCP_ALERT_TYPE: alert.type,
    MCP_SERVICE: alert.service,
    MCP_COMPONENT: alert.component,
    MCP_NODE: alert.node,
    MCP_DESIRED_STATE: alert.desired,
    MCP_OBSERVED_STATE: alert.observed,
  };
}

/** Runs the alert command (argv, no shell); resolves with its failure message, or undefined on success. */
export function runAlertCommand(argv: readonly string[], alert: Alert): Promise<string | undefined> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: alertEnvironment(alert), timeout: ALERT_TIMEOUT_MS },
      (error, _stdout, stderr) => {
        resolve(error ? `${error.message}${stderr ? `: ${stderr.trim()}` : ''}` : undefined);
      },
    );
  });
}
