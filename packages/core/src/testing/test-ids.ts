import { randomBytes } from 'node:crypto';

/**
 * A UUID v7 (RFC 9562): 48-bit Unix ms time, then random bits. Test data uses v7 like production ids so
 * stores that sort or partition by id see realistic values.
 */
export function testUuidV7(at: Date = new Date()): string {
  const bytes = randomBytes(16);
  const ms = BigInt(at.getTime());
  for (let i = 0; i < 6; i += 1) {
    bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let sequence = 0;

/**
 * A short token unique within this process and, thanks to its random part, across processes sharing a
 * store. Lower case letters and digits only, so it fits in usernames and email addresses.
 */
export function uniqueSuffix(): string {
  sequence += 1;
  return `${randomBytes(5).toString('hex')}${sequence.toString(36)}`;
}

/** A session id shaped like production ones: 128 random bits, base64url, 22 characters. */
export function testSessionId(): string {
  return randomBytes(16).toString('base64url');
}
