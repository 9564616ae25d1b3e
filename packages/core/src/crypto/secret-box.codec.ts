import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256 key of the secret box, named by an id stored with every ciphertext it sealed. */
export interface SecretBoxKey {
  /** Short name, [A-Za-z0-9_-]{1,32}; never reused for another key. */
  id: string;
  /** 32 random bytes. */
  key: Uint8Array;
}

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Seals secrets at rest (TOTP secrets) with AES-256-GCM. The first key seals; every key opens what it sealed, found
 * by the key id written in the sealed text (`v1.<kid>.<iv>.<ciphertext>.<tag>`, base64url), so a new key can be put
 * first while the old ones still open older secrets (rotation: docs/mfa.md). The associated data (the account id)
 * binds a sealed secret to its row: copied onto another account it does not open.
 */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Uint8Array>;
  readonly #current: SecretBoxKey;

  constructor(keys: readonly SecretBoxKey[]) {
    if (keys.length === 0) throw new RangeError('secret box: at least one key is required');
    const byId = new Map<string, Uint8Array>();
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw new RangeError(`secret box: key id "${id}" must match ${KEY_ID.source}`);
      if (key.length !== 32) throw new RangeError(`secret box: key "${id}" must be 32 bytes`);
      if (byId.has(id)) throw new RangeError(`secret box: key id "${id}" is given twice`);
      byId.set(id, key);
    }
    this.#keys = byId;
    this.#current = keys[0]!;
  }

  /** The id of the key that seals new secrets. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Encrypts `plaintext` under the current key, bound to `associatedData`. */
  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.#current.id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Decrypts a sealed text; throws (a plain Error: a configuration problem or tampering) when no key opens it. */
  open(sealed: string, associatedData: string): string {
    const [version, kid, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || kid === undefined || iv === undefined || body === undefined || tag === undefined) {
      throw new Error('secret box: not a sealed secret');
    }
    const key = this.#keys.get(kid);
    if (key === undefined) throw new Error(`secret box: key "${kid}" is not configured (keep old keys until every secret is re-sealed)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The key id a sealed text names (to find secrets still sealed under a retired key). */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }
}
