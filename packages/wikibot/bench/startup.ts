import { execFileSync } from 'node:child_process';
import { CLI, childrenCpuMs, serveTimed } from './serve-process.js';
import { median } from './stats.js';

export interface StartupBenchOptions {
  dataDir: string;
  token: string;
  /** API path of a page to read first. */
  firstPage: string;
  record(what: string, value: string, bar?: string): void;
}

const RUNS = 5;

/**
 * Issue 15's start-up bars: `wikibot serve` (one process) to its first page read, wall and CPU
 * time, and any other CLI command; medians of several runs.
 */
export async function benchStartup(options: StartupBenchOptions): Promise<void> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const served = await serveTimed(options.dataDir, options.token, options.firstPage, ['--workers', '1']);
    wall.push(served.firstReadMs);
    cpu.push(served.cpuMs);
    await served.stop();
  }
  options.record(
    `serve to first page read (index present), median of ${RUNS}`,
    `${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU`,
    '≤ 500 ms wall, ≤ 600 ms CPU',
  );
  for (const command of [['--help'], ['wiki', 'list', '--help'], ['wiki', 'list'], ['token', 'list']]) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const cpuBefore = childrenCpuMs();
      execFileSync(process.execPath, [CLI, '--data', options.dataDir, ...command], {
        env: { ...process.env, WIKIBOT_LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      times.push(performance.now() - start);
      cpuTimes.push(childrenCpuMs() - cpuBefore);
    }
    options.record(
      `\`wikibot ${command.join(' ')}\`, median of ${RUNS}`,
      `${median(times).toFixed(0)} ms wall, ${median(cpuTimes).toFixed(0)} ms CPU`,
      '≤ 300 ms',
    );
  }
}
