import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { PasswordHasher } from '@authsvc/core';
import { rejectionOf } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';

/**
 * The password hasher contract. Every implementation, including the fast fakes unit tests use,
 * salts, verifies exactly, and refuses what it would not read whole (more than maxPasswordBytes UTF-8 bytes: 72 with bcrypt).
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

    it('reads at least the 72 bytes bcrypt reads', () => {
      expect(hasher().maxPasswordBytes).toBeGreaterThanOrEqual(72);
    });

    it('a password of exactly maxPasswordBytes bytes is accepted and every one of its bytes counts', async () => {
      const max = hasher().maxPasswordBytes;
      const password = 'a'.repeat(max - 1) + 'b';
      const hash = await hasher().hash(password);
      expect(await hasher().verify(password, hash)).toBe(true);
      expect(await hasher().verify('a'.repeat(max), hash)).toBe(false);
    });

    it('a password longer than maxPasswordBytes UTF-8 bytes is refused, never truncated', async () => {
      const max = hasher().maxPasswordBytes;
      expect(await rejectionOf(hasher().hash('a'.repeat(max + 1)))).toMatchObject({ code: 'VALIDATION_FAILED' });
      // Two-byte characters up to the limit, then one more ASCII character: one byte too many.
      expect(await rejectionOf(hasher().hash('é'.repeat(Math.floor(max / 2)) + 'x'.repeat((max % 2) + 1)))).toMatchObject({ code: 'VALIDATION_FAILED' });
      const hash = await hasher().hash('a'.repeat(max));
      expect(await rejectionOf(hasher().verify('a'.repeat(max) + 'tail', hash))).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
}
