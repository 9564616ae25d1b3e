import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RandomIdGenerator, RefreshTokenCodec } from '../../src/crypto/index.js';

const secret = new Uint8Array(randomBytes(32));
const codec = new RefreshTokenCodec(secret);
const ids = new RandomIdGenerator();

describe('RefreshTokenCodec', () => {
  it('decodes what it encoded, for counters from 0 to 2^32 - 1', () => {
    const sessionId = ids.sessionId();
    for (const counter of [0, 1, 255, 65_536, 0xffff_ffff]) {
      expect(codec.decode(codec.encode(sessionId, counter))).toEqual({ sessionId, counter });
    }
  });

  it('is deterministic for a session and counter, and distinct across counters and sessions', () => {
    const sessionId = ids.sessionId();
    expect(codec.encode(sessionId, 7)).toBe(codec.encode(sessionId, 7));
    const tokens = new Set([0, 1, 2, 3, 4].map((counter) => codec.encode(sessionId, counter)));
    tokens.add(codec.encode(ids.sessionId(), 0));
    expect(tokens.size).toBe(6);
  });

  it('is 70 base64url characters: 128-bit session id, 32-bit counter and a 256-bit MAC', () => {
    const token = codec.encode(ids.sessionId(), 1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{70}$/);
    expect(Buffer.from(token, 'base64url').length * 8 - 128 - 32).toBeGreaterThanOrEqual(256);
  });

  it('flipping any single bit of a token makes it invalid', () => {
    const bytes = Buffer.from(codec.encode(ids.sessionId(), 42), 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit += 1) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(codec.decode(flipped.toString('base64url')), `bit ${bit}`).toBeNull();
    }
  });

  it('a token made with another secret is invalid', () => {
    const other = new RefreshTokenCodec(new Uint8Array(randomBytes(32)));
    expect(codec.decode(other.encode(ids.sessionId(), 1))).toBeNull();
  });

  it('a token with the MAC of another counter is invalid (no counter forging)', () => {
    const sessionId = ids.sessionId();
    const a = Buffer.from(codec.encode(sessionId, 1), 'base64url');
    const b = Buffer.from(codec.encode(sessionId, 2), 'base64url');
    b.copy(a, 0, 0, 20); // body of counter 2, MAC of counter 1
    expect(codec.decode(a.toString('base64url'))).toBeNull();
  });

  it('garbage, empty, huge, padded or non-string input gives null without throwing', () => {
    const valid = codec.encode(ids.sessionId(), 1);
    const garbage: unknown[] = [
      '', 'a', 'x'.repeat(70), '!'.repeat(70), 'a'.repeat(10_000_000), `${valid}=`, `${valid}A`, valid.slice(1), valid.replace(/.$/, '*'),
      Buffer.from(valid, 'base64url').toString('base64'), valid.toUpperCase(), 'eyJhbGciOiJFZERTQSJ9.e30.sig', null, undefined, 42, {},
    ];
    for (const input of garbage) expect(codec.decode(input as string)).toBeNull();
  });

  it('a second spelling of the same bytes (non-zero unused bits in the last character) is invalid', () => {
    const valid = codec.encode(ids.sessionId(), 1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(valid.at(-1)!);
    const respelled = valid.slice(0, -1) + alphabet[last | 1];
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(valid, 'base64url'));
    expect(codec.decode(respelled)).toBeNull();
  });

  it('refuses a secret shorter than 32 bytes, and a malformed session id or counter when encoding', () => {
    expect(() => new RefreshTokenCodec(new Uint8Array(31))).toThrow(RangeError);
    expect(() => codec.encode('too-short', 0)).toThrow(RangeError);
    expect(() => codec.encode('!'.repeat(22), 0)).toThrow(RangeError);
    expect(() => codec.encode(ids.sessionId(), -1)).toThrow(RangeError);
    expect(() => codec.encode(ids.sessionId(), 2 ** 32)).toThrow(RangeError);
    expect(() => codec.encode(ids.sessionId(), 1.5)).toThrow(RangeError);
  });
});
