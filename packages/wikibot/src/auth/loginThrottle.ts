import type { UserStore } from '../platform/users.js';
import { addressGroup, type Backoff, type Throttle } from './throttle.js';

/**
 * Slows down password guessing, by account and by client address:
 * - per account (whichever name or e-mail address was typed): `maxFailures` failures, then waits
 *   from a minute doubling up to `maxWaitMs`; a success clears them;
 * - per client address (see http/forwarded.ts): four times as many, then waits from 15 s up to a
 *   minute, so people sharing an address with a guesser are slowed down, never locked out.
 */
export class LoginThrottle {
  private readonly account: Backoff;
  private readonly address: Backoff;

  constructor(
    private readonly throttle: Throttle,
    private readonly users: UserStore,
    limits: { maxFailures: number; maxWaitMs: number },
  ) {
    this.account = {
      free: limits.maxFailures,
      firstWaitMs: Math.min(60_000, limits.maxWaitMs),
      maxWaitMs: limits.maxWaitMs,
      forgetAfterMs: 86_400_000,
    };
    this.address = {
      free: limits.maxFailures * 4,
      firstWaitMs: Math.min(15_000, limits.maxWaitMs),
      maxWaitMs: Math.min(60_000, limits.maxWaitMs),
      forgetAfterMs: Math.max(limits.maxWaitMs, 60_000),
    };
  }

  /** Seconds before `login` may try again from `address`; 0 when it may now. */
  async retryAfter(login: string, address: string): Promise<number> {
    const [byAccount, byAddress] = await Promise.all([
      this.throttle.retryAfter(await this.accountKey(login), this.account),
      this.throttle.retryAfter(addressKey(address), this.address),
    ]);
    return Math.max(byAccount, byAddress);
  }

  async failed(login: string, address: string): Promise<void> {
    await this.throttle.hit(await this.accountKey(login), this.account);
    await this.throttle.hit(addressKey(address), this.address);
  }

  async succeeded(login: string): Promise<void> {
    await this.throttle.clear(await this.accountKey(login));
  }

  /** The account a typed name or e-mail address means; for no account, the name as typed. */
  private async accountKey(login: string): Promise<string> {
    const user = await this.users.byLogin(login);
    return user ? `login-account:${user.id}` : `login-name:${login.trim().toLowerCase().slice(0, 256)}`;
  }
}

const addressKey = (address: string) => `login-address:${addressGroup(address)}`;
