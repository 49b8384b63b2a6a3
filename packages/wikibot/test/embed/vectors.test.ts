import { describe, expect, it } from 'vitest';
import { inBatches, mapWithConcurrency, toUnitVector } from '../../src/embed/vectors.js';

describe('vector helpers', () => {
  it('normalises an embedding to unit length', () => {
    expect(Array.from(toUnitVector([3, 4], 'test'))).toEqual([0.6000000238418579, 0.800000011920929]);
  });

  it('leaves a zero vector at zero instead of dividing by zero', () => {
    expect(Array.from(toUnitVector([0, 0, 0], 'test'))).toEqual([0, 0, 0]);
  });

  it('names the source and the problem for malformed embeddings', () => {
    expect(() => toUnitVector(undefined, 'server X')).toThrow(
      'server X: embedding is not a non-empty array of numbers',
    );
    expect(() => toUnitVector([], 'server X')).toThrow('not a non-empty array');
    expect(() => toUnitVector([1, 'two', 3], 'server X')).toThrow(
      'server X: embedding value 1 is not a finite number',
    );
    expect(() => toUnitVector([1, Number.NaN], 'server X')).toThrow('value 1 is not a finite number');
  });

  it('splits into batches of at most the given size', () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inBatches([], 3)).toEqual([]);
  });

  it('maps in order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const results = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(maxInFlight).toBe(3);
  });

  it('rejects with the first failure and starts no new calls after it', async () => {
    const started: number[] = [];
    const mapping = mapWithConcurrency([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      if (n === 2) throw new Error('item 2 failed');
      return n;
    });
    await expect(mapping).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2, 3]);
  });
});
