import { setTimeout } from 'node:timers/promises';

const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** A server asking for a longer pause than this is waited for this long. */
const MAX_RETRY_AFTER_MS = 60_000;

/** 429 and 5xx answers are worth another try; other 4xx answers will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Retry-After is either delay-seconds or an HTTP date; returns undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  let delayMs: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    delayMs = Number(value) * 1000;
  } else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    delayMs = Math.max(0, date - now);
  }
  return Math.min(delayMs, MAX_RETRY_AFTER_MS);
}

/** Pause before retry number `retry` (0 = first retry): the server's Retry-After when given, else exponential
 *  backoff with jitter (between half and all of min(8 s, 0.5 s × 2^retry)) so clients do not retry in lockstep. */
export function retryDelayMs(
  retry: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Waits `ms`; an abort of `signal` ends the wait by throwing the signal's reason. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await setTimeout(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
