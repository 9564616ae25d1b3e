import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../ports/id-generator.port.js';

/**
 * UUID v7 (RFC 9562 §5.7) and random session ids from the operating system's CSPRNG.
 *
 * Within one generator, UUIDs are strictly increasing (RFC 9562 §6.2, method 1): the 12-bit
 * `rand_a` field is a counter seeded at random in its lower half each millisecond, and when it runs
 * out, or the clock steps back, the timestamp is carried forward by one millisecond.
 */
export class RandomIdGenerator implements IdGenerator {
  private lastMs = 0;
  private sequence = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  uuid(): string {
    const now = this.nowMs();
    const bytes = randomBytes(16);
    if (now > this.lastMs) {
      this.lastMs = now;
      this.sequence = bytes.readUInt16BE(6) & 0x7ff;
    } else if (this.sequence < 0xfff) {
      this.sequence += 1;
    } else {
      this.lastMs += 1;
      this.sequence = bytes.readUInt16BE(6) & 0x7ff;
    }
    bytes.writeUIntBE(this.lastMs, 0, 6);
    bytes.writeUInt16BE(0x7000 | this.sequence, 6);
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  sessionId(): string {
    return randomBytes(16).toString('base64url');
  }
}
