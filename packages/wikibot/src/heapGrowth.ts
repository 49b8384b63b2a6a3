import { setFlagsFromString } from 'node:v8';

/**
 * On a machine with memory to spare V8 lets the old generation grow to up to four times what its last
 * full collection kept, so a server holding 50 MB settles at 200 MB and more. A serving process lets
 * it grow by a fifth instead (V8's own factor on small devices is 1.1 to 2): its heap stays near what
 * it holds, at the price of a full collection a little more often (no throughput change measured:
 * docs/BENCHMARKS.md). V8 reads the factor at every full collection, so it applies once set here.
 * A `--heap-growing-percent` given to node itself wins.
 */
export function keepHeapNearLive(): void {
  if (process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString('--heap-growing-percent=20');
}
