/** Parses a JSON embedding into an L2-normalised vector; `source` names where it came from in errors. */
export function toUnitVector(values: unknown, source: string): Float32Array {
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(`${source}: embedding is not a non-empty array of numbers`);
  }
  const vector = new Float32Array(values.length);
  let sumOfSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${source}: embedding value ${i} is not a finite number`);
    }
    vector[i] = value;
    sumOfSquares += value * value;
  }
  // A zero vector has no direction; it stays zero (cosine similarity 0 with everything).
  if (sumOfSquares > 0) {
    const scale = 1 / Math.sqrt(sumOfSquares);
    for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  }
  return vector;
}

export function inBatches<T>(items: readonly T[], batchSize: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    batches.push(items.slice(start, start + batchSize));
  }
  return batches;
}

/** Like Promise.all over items.map(work), with at most `limit` calls in flight; stops starting new ones after a failure. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
