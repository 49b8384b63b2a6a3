import { subscribe } from 'node:diagnostics_channel';
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

/**
 * V8 sizes its heap for throughput on a machine with memory to spare: the old generation may grow to
 * four times what its last full collection kept, and the young generation to 32 MB, so a server
 * holding 50 MB settles at 200 MB and more. A serving process lets the old generation grow by a fifth
 * (V8's own factor on small devices is 1.1 to 2) and keeps the young generation at the few MB it
 * starts with. Together they take ~150 MB off a busy server's RSS; the small young generation costs
 * ~12 % more CPU per page read (docs/BENCHMARKS.md), as more of what requests allocate lives to be
 * promoted. Where CPU matters more than memory, give node `--max-semi-space-size=16` (NODE_OPTIONS).
 *
 * V8 reads both flags as it collects, so they apply once set, with two catches: a young generation
 * already grown stays grown (call this before loading the server), and Node resets V8's flags to the
 * command line's whenever a worker thread starts (they are set again once it is online). The same
 * flags given to node itself win.
 */
export function sizeHeapForServing(): void {
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`.replaceAll('_', '-');
  const flags = [
    ...(given.includes('--heap-growing-percent') ? [] : ['--heap-growing-percent=20']),
    ...(/--(max-semi-space-size|semi-space-growth-factor)/.test(given)
      ? []
      : ['--semi-space-growth-factor=1']),
  ];
  if (flags.length === 0) return;
  const apply = () => {
    for (const flag of flags) setFlagsFromString(flag);
  };
  apply();
  subscribe('worker_threads', (message) => (message as { worker: Worker }).worker.once('online', apply));
}
