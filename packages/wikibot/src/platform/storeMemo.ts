import { storeChangeStamp } from './dialect.js';

/**
 * Answers read from the platform store, kept per process while its change stamp holds (SQLite; see
 * `StoreDialect.changeStamp`), so an unchanged store costs no query per request. Where the store has
 * no stamp (PostgreSQL) every read runs. Misses are kept too; the least recently used go first.
 */
export class StoreMemo<V> {
  private readonly kept = new Map<string, V>();
  private stamp: string | undefined;

  constructor(
    private readonly db: object,
    private readonly max = 500,
  ) {}

  async get(key: string, read: () => Promise<V>): Promise<V> {
    // Read before the query: a change after it makes the next stamp differ, so nothing stale is kept.
    const stamp = storeChangeStamp(this.db)?.();
    if (stamp === undefined) return read();
    if (stamp !== this.stamp) {
      this.kept.clear();
      this.stamp = stamp;
    } else if (this.kept.has(key)) {
      const value = this.kept.get(key) as V;
      this.kept.delete(key);
      this.kept.set(key, value);
      return value;
    }
    const value = await read();
    if (this.stamp !== stamp) return value; // the store moved on while reading: not worth keeping
    if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(key, value);
    return value;
  }
}
