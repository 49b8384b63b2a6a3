import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkStopped } from '../../src/wiki/errors.js';
import { WorkPool } from '../../src/work/pool.js';

/** The tasks of fixtures/tasks.mjs (a type alias: the pool wants an index signature). */
type FixtureTasks = {
  double: (n: number) => number;
  spin: () => never;
  hoard: () => never;
  hold: (gate: Int32Array) => number;
};

const TASKS = fileURLToPath(new URL('./fixtures/tasks.mjs', import.meta.url));

describe('work pool', () => {
  // One thread: a task stuck on it would hold up every later task, unless the pool replaces it.
  const pool = new WorkPool<FixtureTasks>({
    threads: 1,
    maxHeapMb: 64,
    filename: TASKS,
  });
  afterAll(() => pool.close());

  it('answers a task that never ends with the deadline, stops it and keeps serving', async () => {
    const stuck = pool.run('spin', undefined, { ms: 300, what: 'Spinning' });
    await expect(stuck).rejects.toBeInstanceOf(WorkStopped);
    await expect(stuck).rejects.toThrow(
      'Spinning did not finish within its deadline of 0.3 s and was stopped.',
    );
    expect(await pool.run('double', 21, { ms: 30_000, what: 'Doubling' })).toBe(42);
  });

  it('stops a task that outgrows the heap limit and keeps serving', async () => {
    const hoarding = pool.run('hoard', undefined, { ms: 60_000, what: 'Hoarding' });
    await expect(hoarding).rejects.toThrow('Hoarding needed more than 64 MB of memory and was stopped.');
    expect(await pool.run('double', 4, { ms: 30_000, what: 'Doubling' })).toBe(8);
  });
});

describe('work pool threads', () => {
  it('runs one thread when idle, more while tasks wait, and stops the extra ones once idle again', async () => {
    const pool = new WorkPool<FixtureTasks>({ threads: 2, maxHeapMb: 64, filename: TASKS, idleMs: 100 });
    try {
      expect(await pool.run('double', 1, { ms: 30_000, what: 'Doubling' })).toBe(2);
      expect(await pool.threadCount()).toBe(1);
      // Two tasks that each hold a thread until released: both run at once, on two threads.
      const gate = new Int32Array(new SharedArrayBuffer(8));
      const held = [0, 1].map(() => pool.run('hold', gate, { ms: 60_000, what: 'Holding' }));
      await expect.poll(() => Atomics.load(gate, 1), { timeout: 60_000 }).toBe(2);
      expect(await pool.threadCount()).toBe(2);
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      expect(await Promise.all(held)).toHaveLength(2);
      await expect.poll(() => pool.threadCount(), { timeout: 60_000 }).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
