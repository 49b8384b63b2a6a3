import { describe, expect, it } from 'vitest';
import { VectorStore } from '../../src/index/vectorStore.js';
import { reciprocalRankFusion } from '../../src/wiki/search.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unitVector(next: () => number, dims: number): Float32Array {
  const v = Float32Array.from({ length: dims }, () => next() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe('VectorStore', () => {
  const DIMS = 37; // not a multiple of the 4-way unrolled loop
  const next = random(7);
  const rows = Array.from({ length: 1000 }, (_, id) => ({
    id,
    pageId: id % 50,
    vector: unitVector(next, DIMS),
  }));

  /** The reference answer: sort everything by dot product. */
  const exact = (live: typeof rows, query: Float32Array, n: number) =>
    live
      .map((r) => ({ id: r.id, score: dot(r.vector, query) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, n)
      .map((r) => r.id);

  it('returns exactly the n nearest rows, best first', () => {
    const store = new VectorStore(DIMS, 16);
    for (const r of rows) store.set(r.id, r.pageId, r.vector);
    for (let q = 0; q < 5; q++) {
      const query = unitVector(next, DIMS);
      const found = store.search(query, 10);
      expect(found.map((m) => m.id)).toEqual(exact(rows, query, 10));
      expect(found[0]?.score).toBeCloseTo(
        dot(rows[found[0]?.id as number]?.vector as Float32Array, query),
        5,
      );
    }
  });

  it('stays exact after rows are removed and replaced', () => {
    const store = new VectorStore(DIMS);
    for (const r of rows) store.set(r.id, r.pageId, r.vector);
    const removed = new Set(rows.filter((r) => r.id % 3 === 0).map((r) => r.id));
    for (const id of removed) expect(store.delete(id)).toBe(true);
    expect(store.delete(0)).toBe(false);
    const replaced = rows.map((r) => (r.id % 7 === 1 ? { ...r, vector: unitVector(next, DIMS) } : r));
    for (const r of replaced) if (r.id % 7 === 1 && !removed.has(r.id)) store.set(r.id, r.pageId, r.vector);
    const live = replaced.filter((r) => !removed.has(r.id));
    expect(store.size).toBe(live.length);
    const query = unitVector(next, DIMS);
    expect(store.search(query, 25).map((m) => m.id)).toEqual(exact(live, query, 25));
  });

  it('keeps at most perPage rows of a page, reading deeper when one page dominates', () => {
    const store = new VectorStore(2);
    // Page 1 holds the 40 best rows; page 2 and 3 one each, further away.
    for (let i = 0; i < 40; i++) store.set(i, 1, Float32Array.of(Math.cos(i / 1000), Math.sin(i / 1000)));
    store.set(100, 2, Float32Array.of(0, 1));
    store.set(101, 3, Float32Array.of(-1, 0));
    const found = store.search(Float32Array.of(1, 0), 4, 2);
    expect(found.map((m) => [m.id, m.pageId])).toEqual([
      [0, 1],
      [1, 1],
      [100, 2],
      [101, 3],
    ]);
  });

  it('refuses vectors of the wrong size', () => {
    const store = new VectorStore(3);
    expect(() => store.set(1, 1, new Float32Array(4))).toThrow(/4 dimensions, expected 3/);
    expect(() => store.search(new Float32Array(2), 1)).toThrow(/2 dimensions, expected 3/);
  });
});

describe('reciprocal rank fusion', () => {
  const hit = (path: string, snippet = path) => ({ path, name: path, snippet, score: 0 });

  it('sums 1/(60 + rank) over the rankings a page appears in', () => {
    const fused = reciprocalRankFusion(
      [
        [hit('a', 'bm25 a'), hit('b', 'bm25 b')],
        [hit('c'), hit('b', 'vector b'), hit('d')],
      ],
      10,
    );
    expect(fused.map((h) => h.path)).toEqual(['b', 'a', 'c', 'd']);
    expect(fused[0]).toEqual({
      path: 'b',
      name: 'b',
      snippet: 'bm25 b',
      score: Math.round((1 / 62 + 1 / 62) * 1e6) / 1e6,
    });
    expect(fused[1]?.score).toBe(Math.round((1 / 61) * 1e6) / 1e6);
  });

  it('keeps the limit', () => {
    expect(reciprocalRankFusion([[hit('a'), hit('b'), hit('c')]], 2).map((h) => h.path)).toEqual(['a', 'b']);
  });
});
