import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/wiki/boundedCache.js';

describe('bounded cache', () => {
  it('forgets the least recently used entries once their weight passes the capacity', () => {
    const cache = new BoundedCache<string, string>(10, (text) => text.length);
    cache.set('a', 'xxxx');
    cache.set('b', 'xxxx');
    expect(cache.get('a')).toBe('xxxx'); // now b is the least recently used
    cache.set('c', 'xxxx'); // 12 > 10: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('xxxx');
    expect(cache.get('c')).toBe('xxxx');
    cache.set('a', 'xxxxxxxxxx'); // replaced: its old weight no longer counts, c goes to make room
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toBe('xxxxxxxxxx');
  });

  it('counts each entry as one by default', () => {
    const cache = new BoundedCache<number, number>(2);
    cache.set(1, 1);
    cache.set(2, 2);
    cache.set(3, 3);
    expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual([undefined, 2, 3]);
  });
});
