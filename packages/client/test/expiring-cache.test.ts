import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../src/verifier/expiring-cache.util.js';

describe('the expiring cache', () => {
  it('forgets an entry when its time is up', () => {
    let now = 0;
    const cache = new ExpiringCache<string>(10, () => now);
    cache.set('a', 'valid', 5_000);
    now = 4_999;
    expect(cache.get('a')).toBe('valid');
    now = 5_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, pushing out the oldest', () => {
    const cache = new ExpiringCache<number>(3);
    for (let i = 1; i <= 5; i += 1) cache.set(`k${i}`, i, 60_000);
    expect(cache.size).toBe(3);
    expect([cache.get('k1'), cache.get('k2'), cache.get('k3'), cache.get('k5')]).toEqual([undefined, undefined, 3, 5]);
  });

  it('keeps nothing for a ttl of zero or less, or with room for none', () => {
    const cache = new ExpiringCache<number>(3);
    cache.set('a', 1, 0);
    cache.set('b', 1, -5);
    expect(cache.size).toBe(0);
    const none = new ExpiringCache<number>(0);
    none.set('a', 1, 1_000);
    expect(none.get('a')).toBeUndefined();
  });
});
