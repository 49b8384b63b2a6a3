import { createHash } from 'node:crypto';
import type { Verdict } from './identity.js';

export const TOKEN_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/** Token → verdict for 30 s, keyed by the token's SHA-256 so no token is kept in memory. */
export class TokenCache {
  private readonly entries = new Map<string, { verdict: Verdict; expires: number }>();

  constructor(
    private readonly ttlMs = TOKEN_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  static key(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  get(token: string): Verdict | undefined {
    const key = TokenCache.key(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.verdict;
  }

  set(token: string, verdict: Verdict): void {
    const now = this.now();
    if (this.entries.size >= MAX_ENTRIES) {
      for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(TokenCache.key(token), { verdict, expires: now + this.ttlMs });
  }
}
