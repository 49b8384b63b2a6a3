import type { UserStore } from '../platform/users.js';
import { addressGroup, type Backoff, type Throttle } from './throttle.js';

/**
 * Slows down password guessing, by account and by client address (every try counts until it
 * succeeds):
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

  /**
   * Count a sign-in try of `login` from `address` before its password is checked: 0 when it may go
   * ahead, else the seconds to wait (and nothing is counted).
   */
  async take(login: string, address: string): Promise<number> {
    const account = await this.accountKey(login);
    const byAddress = await this.throttle.take(addressKey(address), this.address);
    if (byAddress > 0) return byAddress;
    const byAccount = await this.throttle.take(account, this.account);
    if (byAccount > 0) await this.throttle.giveBack(addressKey(address));
    return byAccount;
  }

  /** The try counted by {@link take} succeeded: the account starts afresh, the address gets its try back. */
  async succeeded(login: string, address: string): Promise<void> {
    await this.throttle.clear(await this.accountKey(login));
    await this.throttle.giveBack(addressKey(address));
  }

  /** The account a typed name or e-mail address means; for no account, the name as typed. */
  private async accountKey(login: string): Promise<string> {
    const user = await this.users.byLogin(login);
    return user ? `login-account:${user.id}` : `login-name:${login.trim().toLowerCase().slice(0, 256)}`;
  }
}

const addressKey = (address: string) => `login-address:${addressGroup(address)}`;
