import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Seals the token of a queued mail with AES-256-GCM under a key derived (HKDF-SHA256) from the service's refresh-token
 * secret, so the mail outbox never holds a usable token: a copy of the database alone redeems nothing, and the token
 * table holds only hashes. The delivery worker, which has the same secret, opens the token when it renders the mail;
 * a sent or abandoned mail drops even the sealed form.
 */
export class MailTokenSealer {
  readonly #key: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.byteLength < 32) throw new RangeError('the mail token key needs a secret of at least 32 bytes');
    this.#key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'authsvc mail-outbox token v1', 32));
  }

  /** `v1.<base64url(iv ‖ ciphertext ‖ tag)>`. */
  seal(token: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The token; throws when `sealed` was not made with this key (another secret, or tampered with). */
  open(sealed: string): string {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || data === undefined) throw new Error('unknown sealed-token format');
    const bytes = Buffer.from(data, 'base64url');
    if (bytes.length < 12 + 16) throw new Error('sealed token too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  }
}
