import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

const SESSION_ID_BYTES = 16;
const COUNTER_BYTES = 4;
const MAC_BYTES = 32;
const TOKEN_BYTES = SESSION_ID_BYTES + COUNTER_BYTES + MAC_BYTES;
/** base64url without padding of TOKEN_BYTES (52) bytes. */
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Domain separation: a MAC made by this codec (version 1) means nothing anywhere else. */
const MAC_PREFIX = Buffer.from('rt1', 'ascii');
const MAX_COUNTER = 0xffff_ffff;

export const MIN_REFRESH_TOKEN_SECRET_BYTES = 32;

/**
 * Refresh tokens as `base64url(session id (16 bytes) | counter (4 bytes, big-endian) | HMAC-SHA256)`.
 * The token for (session, counter) is deterministic, so the session store keeps only the counter
 * and can re-derive the successor inside the grace window; see docs/decisions/0002-refresh-tokens.md.
 */
export class RefreshTokenCodec {
  /** A KeyObject made once: createHmac with raw bytes re-imports them on every call (~10 µs of its ~13). */
  private readonly secret: KeyObject;

  constructor(secret: Uint8Array) {
    if (!(secret instanceof Uint8Array) || secret.length < MIN_REFRESH_TOKEN_SECRET_BYTES) {
      throw new RangeError(`refresh token secret must be at least ${MIN_REFRESH_TOKEN_SECRET_BYTES} bytes`);
    }
    this.secret = createSecretKey(Buffer.from(secret));
  }

  /** The token of this session at this counter. Throws on a malformed session id or counter (a bug, not input). */
  encode(sessionId: string, counter: number): string {
    const sid = decodeSessionId(sessionId);
    if (!sid) throw new RangeError('session id must be 22 base64url characters (16 bytes)');
    if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) throw new RangeError(`counter must be an integer in 0..${MAX_COUNTER}`);
    const body = Buffer.alloc(SESSION_ID_BYTES + COUNTER_BYTES);
    sid.copy(body, 0);
    body.writeUInt32BE(counter, SESSION_ID_BYTES);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** The session and counter of an authentic token; null for anything else. Never throws. */
  decode(token: string): { sessionId: string; counter: number } | null {
    if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !BASE64URL.test(token)) return null;
    const bytes = Buffer.from(token, 'base64url');
    // The unused low bits of the last character must be zero: one token, one spelling.
    if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return null;
    const body = bytes.subarray(0, SESSION_ID_BYTES + COUNTER_BYTES);
    if (!timingSafeEqual(bytes.subarray(SESSION_ID_BYTES + COUNTER_BYTES), this.mac(body))) return null;
    return { sessionId: body.subarray(0, SESSION_ID_BYTES).toString('base64url'), counter: body.readUInt32BE(SESSION_ID_BYTES) };
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(MAC_PREFIX).update(body).digest();
  }
}

function decodeSessionId(sessionId: string): Buffer | null {
  if (typeof sessionId !== 'string' || sessionId.length !== 22 || !BASE64URL.test(sessionId)) return null;
  const bytes = Buffer.from(sessionId, 'base64url');
  return bytes.length === SESSION_ID_BYTES && bytes.toString('base64url') === sessionId ? bytes : null;
}
