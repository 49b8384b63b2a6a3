export interface VectorMatch {
  id: number;
  pageId: number;
  /** Cosine similarity: the dot product of unit vectors. */
  score: number;
}

/**
 * Exact nearest-neighbour search by brute force over one contiguous Float32Array, chosen by
 * measurement (docs/BENCHMARKS.md, "Search"): on two cores it beats sqlite-vec's vec0 scan, is
 * exact (recall 1), and needs no native dependency. Rows are kept dense: a removed row is
 * replaced by the last one.
 */
export class VectorStore {
  private data: Float32Array;
  private ids: Float64Array;
  private pages: Float64Array;
  private scores: Float32Array;
  private readonly slotOf = new Map<number, number>();
  private count = 0;

  constructor(
    readonly dimensions: number,
    capacity = 1024,
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new Error(`bad vector dimensions: ${dimensions}`);
    this.data = new Float32Array(capacity * dimensions);
    this.ids = new Float64Array(capacity);
    this.pages = new Float64Array(capacity);
    this.scores = new Float32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** Add or replace the vector of row `id` (a unit vector of `dimensions` numbers). */
  set(id: number, pageId: number, vector: Float32Array): void {
    if (vector.length !== this.dimensions) {
      throw new Error(`vector has ${vector.length} dimensions, expected ${this.dimensions}`);
    }
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      if (this.count === this.ids.length) this.grow();
      slot = this.count++;
      this.slotOf.set(id, slot);
    }
    this.ids[slot] = id;
    this.pages[slot] = pageId;
    this.data.set(vector, slot * this.dimensions);
  }

  delete(id: number): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    const last = --this.count;
    if (slot !== last) {
      const movedId = this.ids[last]!;
      this.ids[slot] = movedId;
      this.pages[slot] = this.pages[last]!;
      this.data.copyWithin(slot * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.slotOf.set(movedId, slot);
    }
    return true;
  }

  /** Remove every row; with `capacity`, make room for that many rows at once. */
  clear(capacity?: number): void {
    this.slotOf.clear();
    this.count = 0;
    if (capacity !== undefined && capacity !== this.ids.length) this.allocate(capacity);
  }

  /** The best `n` rows for a unit query vector, best first, with at most `perPage` rows of one page. */
  search(query: Float32Array, n: number, perPage = Number.POSITIVE_INFINITY): VectorMatch[] {
    if (query.length !== this.dimensions) {
      throw new Error(`query has ${query.length} dimensions, expected ${this.dimensions}`);
    }
    if (n < 1 || this.count === 0) return [];
    this.scoreAll(query);
    // Select a few more rows than asked for; widen only when the per-page cap left too few.
    let k = Math.min(this.count, Math.max(n * 2, 16));
    for (;;) {
      const matches = this.capPerPage(this.top(k), n, perPage);
      if (matches.length >= n || k === this.count) return matches;
      k = Math.min(this.count, k * 4);
    }
  }

  private scoreAll(query: Float32Array): void {
    const { data, scores, dimensions: dims, count } = this;
    // Float64 reads of the query measured faster than Float32 ones (no conversion per multiply).
    const q = Float64Array.from(query);
    const tail = dims - (dims % 4);
    for (let row = 0, offset = 0; row < count; row++, offset += dims) {
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      let j = 0;
      for (; j < tail; j += 4) {
        const o = offset + j;
        a += data[o]! * q[j]!;
        b += data[o + 1]! * q[j + 1]!;
        c += data[o + 2]! * q[j + 2]!;
        d += data[o + 3]! * q[j + 3]!;
      }
      for (; j < dims; j++) a += data[offset + j]! * q[j]!;
      scores[row] = a + b + c + d;
    }
  }

  /** Slots of the `k` highest scores, best first (a min-heap of size k over all scores). */
  private top(k: number): Int32Array {
    const heap = new Int32Array(k);
    const scores = this.scores;
    let size = 0;
    const less = (x: number, y: number) => scores[x]! < scores[y]!;
    const siftDown = (from: number) => {
      let i = from;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < size && less(heap[l]!, heap[min]!)) min = l;
        if (r < size && less(heap[r]!, heap[min]!)) min = r;
        if (min === i) return;
        const t = heap[i]!;
        heap[i] = heap[min]!;
        heap[min] = t;
        i = min;
      }
    };
    for (let slot = 0; slot < this.count; slot++) {
      if (size < k) {
        let i = size++;
        heap[i] = slot;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!less(heap[i]!, heap[parent]!)) break;
          const t = heap[i]!;
          heap[i] = heap[parent]!;
          heap[parent] = t;
          i = parent;
        }
      } else if (scores[slot]! > scores[heap[0]!]!) {
        heap[0] = slot;
        siftDown(0);
      }
    }
    return heap.slice(0, size).sort((x, y) => scores[y]! - scores[x]!);
  }

  private capPerPage(slots: Int32Array, n: number, perPage: number): VectorMatch[] {
    const taken = new Map<number, number>();
    const matches: VectorMatch[] = [];
    for (const slot of slots) {
      const pageId = this.pages[slot]!;
      const already = taken.get(pageId) ?? 0;
      if (already >= perPage) continue;
      taken.set(pageId, already + 1);
      matches.push({ id: this.ids[slot]!, pageId, score: this.scores[slot]! });
      if (matches.length === n) break;
    }
    return matches;
  }

  private grow(): void {
    this.allocate(Math.max(1024, Math.ceil(this.ids.length * 1.5)));
  }

  private allocate(capacity: number): void {
    const { data, ids, pages, count, dimensions } = this;
    this.data = new Float32Array(capacity * dimensions);
    this.ids = new Float64Array(capacity);
    this.pages = new Float64Array(capacity);
    this.scores = new Float32Array(capacity);
    this.data.set(data.subarray(0, count * dimensions));
    this.ids.set(ids.subarray(0, count));
    this.pages.set(pages.subarray(0, count));
  }
}
