import { describe, expect, it } from 'vitest';
import { RandomIdGenerator, SystemClock } from '../../src/crypto/index.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('RandomIdGenerator', () => {
  it('makes RFC 9562 UUID v7s whose first 48 bits are the Unix time in ms', () => {
    const at = Date.UTC(2026, 10, 28, 10, 0, 0, 123);
    const id = new RandomIdGenerator(() => at).uuid();
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('UUIDs from one generator sort in creation order, within one millisecond and across a clock step back', () => {
    let now = Date.UTC(2026, 10, 28);
    const ids = new RandomIdGenerator(() => now);
    const made: string[] = [];
    for (let i = 0; i < 5_000; i += 1) made.push(ids.uuid()); // more than the 12-bit counter holds in one ms
    now -= 1_000;
    for (let i = 0; i < 10; i += 1) made.push(ids.uuid());
    now += 10_000;
    made.push(ids.uuid());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    for (const id of made) expect(id).toMatch(UUID_V7);
  });

  it('UUIDs carry randomness: two generators at the same instant disagree', () => {
    const at = () => 1_800_000_000_000;
    expect(new RandomIdGenerator(at).uuid()).not.toBe(new RandomIdGenerator(at).uuid());
  });

  it('session ids are 22 base64url characters of 16 random bytes, all distinct', () => {
    const ids = new RandomIdGenerator();
    const made = Array.from({ length: 1_000 }, () => ids.sessionId());
    for (const id of made) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id, 'base64url').length).toBe(16);
    }
    expect(new Set(made).size).toBe(made.length);
  });
});

describe('SystemClock', () => {
  it('tells the current time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
