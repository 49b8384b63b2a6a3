import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HEAP_GROWTH = fileURLToPath(new URL('../../dist/heapGrowth.js', import.meta.url));

/**
 * A fresh node process: optionally sized for serving, it starts a worker thread (which resets V8's
 * flags), then allocates 50 million short-lived objects; prints its young generation's size in MB.
 */
function youngGenerationAfterChurn(sized: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    ${sized ? `(await import(${JSON.stringify(HEAP_GROWTH)})).sizeHeapForServing();` : ''}
    const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
    await new Promise((resolve) => worker.once('exit', resolve));
    let kept = [];
    for (let i = 0; i < 5e7; i++) {
      kept.push({ i });
      if (kept.length > 20000) kept = [];
    }
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    console.log(young.space_size / 1048576);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(out.trim());
}

describe('the serving process heap', () => {
  it('keeps its young generation small, also after a worker thread started', () => {
    // Node's default lets it grow to 16 MB or more under the same allocation.
    expect(youngGenerationAfterChurn(false)).toBeGreaterThanOrEqual(16);
    expect(youngGenerationAfterChurn(true)).toBeLessThanOrEqual(4);
  }, 120_000);
});
