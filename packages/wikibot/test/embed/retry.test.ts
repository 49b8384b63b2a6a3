import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfterMs, pause, retryDelayMs } from '../../src/embed/retry.js';

describe('retry policy', () => {
  it('retries 429 and 5xx, not other 4xx', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP date, capped at a minute', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(parseRetryAfterMs('0', now)).toBe(0);
    expect(parseRetryAfterMs('2', now)).toBe(2_000);
    expect(parseRetryAfterMs('1.5', now)).toBe(1_500);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 11:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('3600', now)).toBe(60_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it('uses the server-requested delay when there is one', () => {
    expect(retryDelayMs(3, 1_234)).toBe(1_234);
  });

  it('backs off exponentially with jitter between half and all of the step, up to 8 s', () => {
    expect(retryDelayMs(0, undefined, () => 0)).toBe(250);
    expect(retryDelayMs(0, undefined, () => 1)).toBe(500);
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(750);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(4_000);
    expect(retryDelayMs(10, undefined, () => 1)).toBe(8_000);
    expect(retryDelayMs(10, undefined, () => 0)).toBe(4_000);
  });

  it('ends a pause with the abort reason', async () => {
    const controller = new AbortController();
    const waiting = pause(60_000, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });
});
