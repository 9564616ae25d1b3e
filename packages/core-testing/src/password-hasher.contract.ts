import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { PasswordHasher } from '@authsvc/core';
import { rejectionOf } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';

/**
 * The password hasher contract. Every implementation, including the fast fakes unit tests use,
 * salts, verifies exactly, and refuses what bcrypt would silently truncate (more than 72 UTF-8 bytes).
 */
export function passwordHasherContract(name: string, fixture: ContractFixture<PasswordHasher>): void {
  describe(`${name}: password hasher contract`, () => {
    const hasher = useFixture(fixture);

    it('a hash verifies the password it was made from', async () => {
      const hash = await hasher().hash('correct horse battery');
      expect(await hasher().verify('correct horse battery', hash)).toBe(true);
    });

    it('a wrong password, even one differing only in case or a trailing space, does not verify', async () => {
      const hash = await hasher().hash('correct horse battery');
      expect(await hasher().verify('Correct horse battery', hash)).toBe(false);
      expect(await hasher().verify('correct horse battery ', hash)).toBe(false);
      expect(await hasher().verify('', hash)).toBe(false);
    });

    it('the same password hashed twice gives two different hashes (salted), both verifying', async () => {
      const [a, b] = await Promise.all([hasher().hash('same password'), hasher().hash('same password')]);
      expect(a).not.toBe(b);
      expect(await hasher().verify('same password', a)).toBe(true);
      expect(await hasher().verify('same password', b)).toBe(true);
    });

    it('a hash never contains the password', async () => {
      const hash = await hasher().hash('visible-secret-123');
      expect(hash).not.toContain('visible-secret-123');
    });

    it('a multi-byte UTF-8 password round-trips and differs from its NFD form', async () => {
      const composed = 'pässwörd-日本語-🔑';
      const hash = await hasher().hash(composed);
      expect(await hasher().verify(composed, hash)).toBe(true);
      expect(await hasher().verify(composed.normalize('NFD'), hash)).toBe(false);
    });

    it('a malformed stored hash verifies nothing, without throwing', async () => {
      for (const hash of ['', 'not-a-hash', '$2b$10$short', 'x'.repeat(60)]) {
        expect(await hasher().verify('any password', hash)).toBe(false);
      }
    });

    it('a hash or verification whose signal already fired is not done: it rejects with the signal reason', async () => {
      const hash = await hasher().hash('signal password');
      const reason = new DOMException('deadline', 'TimeoutError');
      expect(await rejectionOf(hasher().hash('signal password', AbortSignal.abort(reason)))).toBe(reason);
      expect(await rejectionOf(hasher().verify('signal password', hash, AbortSignal.abort(reason)))).toBe(reason);
    });

    it('a signal that never fires changes nothing', async () => {
      const signal = new AbortController().signal;
      const hash = await hasher().hash('signal password', signal);
      expect(await hasher().verify('signal password', hash, signal)).toBe(true);
    });

    it('a fresh hash does not need rehashing', async () => {
      expect(hasher().needsRehash(await hasher().hash('fresh password'))).toBe(false);
    });

    it('a password of exactly 72 bytes is accepted and every one of its bytes counts', async () => {
      const password = 'a'.repeat(71) + 'b';
      const hash = await hasher().hash(password);
      expect(await hasher().verify(password, hash)).toBe(true);
      expect(await hasher().verify('a'.repeat(72), hash)).toBe(false);
    });

    it('a password longer than 72 UTF-8 bytes is refused, never truncated', async () => {
      expect(await rejectionOf(hasher().hash('a'.repeat(73)))).toBeInstanceOf(Error);
      // 36 two-byte characters are 72 bytes; one more ASCII character makes 73.
      expect(await rejectionOf(hasher().hash('é'.repeat(36) + 'x'))).toBeInstanceOf(Error);
      const hash = await hasher().hash('a'.repeat(72));
      expect(await rejectionOf(hasher().verify('a'.repeat(72) + 'tail', hash))).toBeInstanceOf(Error);
    });
  });
}
