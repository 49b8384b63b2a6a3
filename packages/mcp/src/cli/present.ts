import { type ComponentResult, ComponentResultSchema } from '../gen/mcp/v1/mcp_pb.js';
import type { Cli } from './context.js';
import { dash, table } from './output.js';

/** Prints per-component results of deploy/stop/start/restart; marks the run failed if any failed. */
export function printResults(cli: Cli, heading: string, results: ComponentResult[]): void {
  if (results.some((r) => !r.ok)) cli.failed = true;
  if (cli.json) {
    cli.printJson({ results: results.map((r) => cli.messageJson(ComponentResultSchema, r)) });
    return;
  }
  if (results.length === 0) {
    cli.print(`${heading}: no managed components`);
    return;
  }
  cli.print(
    table(
      ['component', 'container', 'action', 'state', 'version', 'result'],
      results.map((r) => [
        r.component,
        r.container,
        dash(r.action),
        dash(r.observedState),
        dash(r.version),
        r.ok ? 'ok' : `FAILED: ${r.error}`,
      ]),
    ),
  );
  for (const r of results) for (const warning of r.warnings) cli.warn(`warning: ${r.component}: ${warning}`);
}
