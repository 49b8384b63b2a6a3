/** Keys tracked at most; the least recently failed are forgotten first. */
const MAX_KEYS = 10_000;

/**
 * Failed sign-ins per account and per client address in a sliding window. Beyond the limit, sign-in
 * is refused without checking the password until the oldest failure leaves the window.
 * Counts live in this process.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxPerAccount: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds to wait before trying again, or 0 when a try is allowed now. */
  retryAfter(account: string, address: string): number {
    const now = Date.now();
    const wait = [
      this.wait(accountKey(account), this.maxPerAccount, now),
      this.wait(addressKey(address), this.maxPerAddress, now),
    ];
    return Math.max(...wait);
  }

  fail(account: string, address: string): void {
    const now = Date.now();
    for (const key of [accountKey(account), addressKey(address)]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(account: string): void {
    this.failures.delete(accountKey(account));
  }

  private get maxPerAddress(): number {
    return this.maxPerAccount * 4;
  }

  private wait(key: string, max: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < max) return 0;
    const oldest = times[times.length - max] as number;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}

const accountKey = (account: string) => `account:${account.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
