import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache, type VerifiedToken } from '../../src/crypto/verified-token-cache.util.js';

const entry = (tokenId: string): VerifiedToken => ({ accountId: 'a', sessionId: 's', role: 'USER', tokenId, iat: 1, exp: 2, nbf: undefined, amr: ['pwd'], authTime: 1 });

describe('VerifiedTokenCache', () => {
  it('keys a token by a digest of its whole text, never by the token itself', () => {
    const token = 'header.payload.signature';
    const key = VerifiedTokenCache.keyOf(token);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('payload');
    expect(VerifiedTokenCache.keyOf(`${token}x`)).not.toBe(key);
  });

  it('holds at most its capacity, dropping the oldest entry first', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('k1', entry('1'));
    cache.set('k2', entry('2'));
    cache.set('k2', entry('2b'));
    expect(cache.size).toBe(2);
    cache.set('k3', entry('3'));
    expect(cache.size).toBe(2);
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k2')?.tokenId).toBe('2b');
    expect(cache.get('k3')?.tokenId).toBe('3');
  });

  it('with capacity 0 remembers nothing', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('k', entry('1'));
    expect(cache.get('k')).toBeUndefined();
    expect(() => new VerifiedTokenCache(-1)).toThrow(RangeError);
  });
});
