import { describe, expect, it } from 'vitest';
import { addressBucket, attemptKey } from '../../src/index.js';

describe('addressBucket: what one client controls', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:201', '192.0.2.1'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['[2001:db8::7]', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['client-42', 'client-42'],
  ])('%s counts as %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });
});

describe('attemptKey', () => {
  it('keeps what it counts out of the key, at a fixed length, and tells kinds and parts apart', () => {
    const key = attemptKey('login-from', 'someone@example.com', '192.0.2.1');
    expect(key).toMatch(/^login-from:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('someone');
    expect(attemptKey('login-from', 'a', 'b')).not.toBe(attemptKey('login-from', 'a\nb'));
    expect(attemptKey('login-from', 'a', 'b')).not.toBe(attemptKey('login-from', 'a,b'));
    expect(attemptKey('login', 'a')).not.toBe(attemptKey('login-from', 'a'));
  });
});
