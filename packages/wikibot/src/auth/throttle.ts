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

/**
 * Hits per name (an account, a client address) in the platform store, so every replica sees them
 * and they survive restarts. Past a policy's free hits, the next try must wait: the first wait after
 * the last hit, doubling with every hit up to the longest wait. Nobody is locked out for good.
 */
export class Throttle {
  private lastPurge = 0;

  constructor(private readonly db: PlatformDb) {}

  /** Whole seconds until `name` may try again under `policy`; 0 when it may now. */
  async retryAfter(name: string, policy: Backoff): Promise<number> {
    const row = await this.db
      .selectFrom('throttles')
      .select(['hits', 'last_hit_at'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row || row.hits < policy.free) return 0;
    const now = Date.now();
    const last = Date.parse(row.last_hit_at);
    if (now - last >= policy.forgetAfterMs) return 0;
    const wait = Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** (row.hits - policy.free));
    return Math.max(0, Math.ceil((last + wait - now) / 1000));
  }

  /** Count one hit (a hit after the policy's memory has lapsed starts over at one). */
  async hit(name: string, policy: Backoff): Promise<void> {
    const now = Date.now();
    const at = new Date(now).toISOString();
    const forgotten = new Date(now - policy.forgetAfterMs).toISOString();
    await this.db
      .insertInto('throttles')
      .values({ name, hits: 1, last_hit_at: at })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({
          hits: eb
            .case()
            .when('throttles.last_hit_at', '<', forgotten)
            .then(1)
            .else(eb('throttles.hits', '+', 1))
            .end(),
          last_hit_at: at,
        })),
      )
      .execute();
    await this.purge(now);
  }

  async clear(name: string): Promise<void> {
    await this.db.deleteFrom('throttles').where('name', '=', name).execute();
  }

  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    const idle = new Date(now - PURGE_AFTER_MS).toISOString();
    await this.db.deleteFrom('throttles').where('last_hit_at', '<', idle).execute();
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
