import type { TreeItem } from './tree-codec.js';

/** A directory's entries keyed by name as raw bytes (a latin1 string), as the tree builder edits them. */
export type TreeEntries = ReadonlyMap<string, TreeItem>;

/**
 * Recently read or written trees, least recently used dropped first, bounded by the total number of
 * entries held. Trees are immutable, so an entry never goes stale; a writer that commits in a row
 * finds the directories it changed last time here and reads none of them from git.
 */
export class TreeCache {
  private readonly trees = new Map<string, TreeEntries>();
  private size = 0;

  constructor(private readonly maxEntries: number) {}

  get(sha: string): TreeEntries | undefined {
    const entries = this.trees.get(sha);
    if (entries) {
      this.trees.delete(sha);
      this.trees.set(sha, entries);
    }
    return entries;
  }

  set(sha: string, entries: TreeEntries): void {
    if (entries.size > this.maxEntries || this.trees.has(sha)) return;
    this.trees.set(sha, entries);
    this.size += entries.size;
    for (const [oldest, dropped] of this.trees) {
      if (this.size <= this.maxEntries) break;
      this.trees.delete(oldest);
      this.size -= dropped.size;
    }
  }
}
