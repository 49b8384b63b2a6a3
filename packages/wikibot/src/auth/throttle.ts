import { isIPv6 } from 'node:net';
import type { PlatformDb } from '../platform/store.js';

/** How patient a throttle is: `free` hits, then each further one waits, twice as long every time. */
export interface Backoff {
  free: number;
  firstWaitMs: number;
  maxWaitMs: number;
  /** Hits are forgotten after this long without one. */
  forgetAfterMs: number;
}

/** Rows idle longer than any policy's memory are deleted now and then (at most once a minute per process). */
const PURGE_AFTER_MS = 86_400_000;

/** Attempts at a compare-and-swap before a try is treated as throttled (others keep winning the race). */
const MAX_RACES = 20;

/**
 * Hits per name (an account, a client address) in the platform store, so every replica sees them
 * and they survive restarts. Past a policy's free hits, the next try must wait: the first wait after
 * the last hit, doubling with every hit up to the longest wait. Nobody is locked out for good.
 * A try is counted before the work it guards (a password check) and in one compare-and-swap, so
 * concurrent tries cannot slip past the count together.
 */
export class Throttle {
  private lastPurge = 0;

  constructor(private readonly db: PlatformDb) {}

  /** Count a try under `policy`; 0 when it may go ahead, else the whole seconds to wait (not counted). */
  async take(name: string, policy: Backoff): Promise<number> {
    for (let race = 0; race < MAX_RACES; race++) {
      const now = Date.now();
      const at = new Date(now).toISOString();
      const row = await this.db
        .selectFrom('throttles')
        .select(['hits', 'last_hit_at'])
        .where('name', '=', name)
        .executeTakeFirst();
      if (!row) {
        const inserted = await this.db
          .insertInto('throttles')
          .values({ name, hits: 1, last_hit_at: at })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        if (inserted.numInsertedOrUpdatedRows === 1n) return this.purged(now);
        continue;
      }
      const last = Date.parse(row.last_hit_at);
      const forgotten = now - last >= policy.forgetAfterMs;
      if (!forgotten && row.hits >= policy.free) {
        const wait = Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** (row.hits - policy.free));
        if (now < last + wait) return Math.ceil((last + wait - now) / 1000);
      }
      const swapped = await this.db
        .updateTable('throttles')
        .set({ hits: forgotten ? 1 : row.hits + 1, last_hit_at: at })
        .where('name', '=', name)
        .where('hits', '=', row.hits)
        .where('last_hit_at', '=', row.last_hit_at)
        .executeTakeFirst();
      if (swapped.numUpdatedRows === 1n) return this.purged(now);
    }
    return 1;
  }

  /** Take back one counted try (it turned out well). */
  async giveBack(name: string): Promise<void> {
    await this.db
      .updateTable('throttles')
      .set((eb) => ({ hits: eb('hits', '-', 1) }))
      .where('name', '=', name)
      .where('hits', '>', 0)
      .execute();
  }

  async clear(name: string): Promise<void> {
    await this.db.deleteFrom('throttles').where('name', '=', name).execute();
  }

  /** Drop long-idle rows now and then; always 0 (the try was counted). */
  private async purged(now: number): Promise<0> {
    if (now - this.lastPurge >= 60_000) {
      this.lastPurge = now;
      const idle = new Date(now - PURGE_AFTER_MS).toISOString();
      await this.db.deleteFrom('throttles').where('last_hit_at', '<', idle).execute();
    }
    return 0;
  }
}

/**
 * The key a client address is throttled by: the address itself, or for IPv6 its /64 network (one
 * subscriber usually holds a whole /64).
 */
export function addressGroup(address: string): string {
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
