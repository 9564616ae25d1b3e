import { describe, expect, it } from 'vitest';
import type { SecondFactorStore } from '@authsvc/core';
import type { ContractFixture } from './contract-fixture.types.js';
import { useFixture } from './contract-hooks.support.js';

/** A second-factor store and a way to make an account it may hold factors for (a store may require the account row). */
export interface SecondFactorStoreUnderTest {
  factors: SecondFactorStore;
  /** A new account's id. */
  anAccount(): Promise<string>;
}

const NOW = new Date('2026-12-06T10:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const hashes = (prefix: string, n = 3) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** The contract of SecondFactorStore: every method atomic on its own, every single-use thing used once under races. */
export function secondFactorStoreContract(name: string, fixture: ContractFixture<SecondFactorStoreUnderTest>): void {
  describe(`SecondFactorStore contract: ${name}`, () => {
    const subject = useFixture(fixture);
    const store = () => subject().factors;
    const confirmed = async (step = 100) => {
      const id = await subject().anAccount();
      await store().beginTotp(id, 'sealed-1', NOW);
      await store().confirmTotp(id, step, hashes('code'), NOW);
      return id;
    };

    describe('TOTP', () => {
      it('keeps a pending secret until confirmed, replaced by a new beginning, and lists no factor meanwhile', async () => {
        const id = await subject().anAccount();
        expect(await store().totpOf(id)).toBeNull();
        expect(await store().beginTotp(id, 'sealed-1', NOW)).toBe(true);
        expect(await store().beginTotp(id, 'sealed-2', later(1000))).toBe(true);
        expect(await store().totpOf(id)).toEqual({ accountId: id, sealedSecret: 'sealed-2', confirmedAt: null, lastUsedStep: null, createdAt: later(1000) });
        expect(await store().enrolledFactors(id)).toEqual([]);
      });

      it('confirms a pending secret once, with its step and the recovery codes in the same write', async () => {
        const id = await subject().anAccount();
        expect(await store().confirmTotp(id, 7, null, NOW)).toBe(false);
        await store().beginTotp(id, 'sealed-1', NOW);
        expect(await store().confirmTotp(id, 7, hashes('a'), later(5))).toBe(true);
        expect(await store().totpOf(id)).toMatchObject({ confirmedAt: later(5), lastUsedStep: 7 });
        expect(await store().recoveryCodesLeft(id)).toBe(3);
        expect(await store().enrolledFactors(id)).toEqual(['totp', 'recovery_code']);
        expect(await store().confirmTotp(id, 8, null, later(10))).toBe(false);
      });

      it('refuses to begin over a confirmed secret and keeps it', async () => {
        const id = await confirmed();
        expect(await store().beginTotp(id, 'sealed-new', NOW)).toBe(false);
        expect(await store().totpOf(id)).toMatchObject({ sealedSecret: 'sealed-1' });
      });

      it('accepts each step once and never an earlier one', async () => {
        const id = await confirmed(100);
        expect(await store().useTotpStep(id, 100)).toBe(false);
        expect(await store().useTotpStep(id, 99)).toBe(false);
        expect(await store().useTotpStep(id, 101)).toBe(true);
        expect(await store().useTotpStep(id, 101)).toBe(false);
        expect(await store().useTotpStep(id, 103)).toBe(true);
        expect(await store().useTotpStep(id, 102)).toBe(false);
      });

      it('accepts no step of a pending or missing secret', async () => {
        const id = await subject().anAccount();
        expect(await store().useTotpStep(id, 5)).toBe(false);
        await store().beginTotp(id, 'sealed-1', NOW);
        expect(await store().useTotpStep(id, 5)).toBe(false);
      });

      it('lets exactly one of concurrent uses of one step succeed', async () => {
        const id = await confirmed(100);
        const results = await Promise.all(Array.from({ length: 8 }, () => store().useTotpStep(id, 101)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('removes the secret, with or without the recovery codes', async () => {
        const kept = await confirmed();
        expect(await store().removeTotp(kept, false)).toBe(true);
        expect(await store().totpOf(kept)).toBeNull();
        expect(await store().enrolledFactors(kept)).toEqual(['recovery_code']);
        const gone = await confirmed();
        expect(await store().removeTotp(gone, true)).toBe(true);
        expect(await store().enrolledFactors(gone)).toEqual([]);
        expect(await store().recoveryCodesLeft(gone)).toBe(0);
        expect(await store().removeTotp(gone, true)).toBe(false);
      });
    });

    describe('recovery codes', () => {
      it('uses each code once, of its own account only', async () => {
        const id = await confirmed();
        const other = await confirmed();
        expect(await store().useRecoveryCode(other, 'missing', NOW)).toBe(false);
        expect(await store().useRecoveryCode(id, 'code-1', NOW)).toBe(true);
        expect(await store().useRecoveryCode(id, 'code-1', NOW)).toBe(false);
        expect(await store().recoveryCodesLeft(id)).toBe(2);
        expect(await store().recoveryCodesLeft(other)).toBe(3);
      });

      it('lets exactly one of concurrent uses of one code succeed', async () => {
        const id = await confirmed();
        const results = await Promise.all(Array.from({ length: 8 }, () => store().useRecoveryCode(id, 'code-2', NOW)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('replaces every code: the old ones, used or not, stop working', async () => {
        const id = await confirmed();
        await store().useRecoveryCode(id, 'code-0', NOW);
        await store().replaceRecoveryCodes(id, hashes('new', 10), later(1));
        expect(await store().recoveryCodesLeft(id)).toBe(10);
        expect(await store().useRecoveryCode(id, 'code-1', NOW)).toBe(false);
        expect(await store().useRecoveryCode(id, 'new-9', NOW)).toBe(true);
      });

      it('lists recovery codes as a factor only while one is unused', async () => {
        const id = await subject().anAccount();
        await store().replaceRecoveryCodes(id, ['only'], NOW);
        expect(await store().enrolledFactors(id)).toEqual(['recovery_code']);
        await store().useRecoveryCode(id, 'only', NOW);
        expect(await store().enrolledFactors(id)).toEqual([]);
      });
    });

    describe('challenges', () => {
      const challenge = (accountId: string | null, expiresAt = later(60_000)) => ({
        purpose: 'mfa-login' as const,
        accountId,
        data: { stamp: 'abc', nested: { list: [1, 'two'] } },
        expiresAt,
      });

      it('finds a live challenge by hash and purpose only, and leaves it in place', async () => {
        const id = await subject().anAccount();
        await store().putChallenge('h1', challenge(id));
        expect(await store().peekChallenge('h1', 'mfa-login', NOW)).toEqual(challenge(id));
        expect(await store().peekChallenge('h1', 'mfa-login', NOW)).toEqual(challenge(id));
        expect(await store().peekChallenge('h1', 'passkey-login', NOW)).toBeNull();
        expect(await store().peekChallenge('h2', 'mfa-login', NOW)).toBeNull();
      });

      it('holds a challenge bound to no account', async () => {
        await store().putChallenge('anon', { ...challenge(null), purpose: 'passkey-login' });
        expect(await store().takeChallenge('anon', 'passkey-login', NOW)).toMatchObject({ accountId: null });
      });

      it('treats an expired challenge as unknown, the expiry instant included', async () => {
        const id = await subject().anAccount();
        await store().putChallenge('h1', challenge(id, later(1000)));
        expect(await store().peekChallenge('h1', 'mfa-login', later(1000))).toBeNull();
        expect(await store().takeChallenge('h1', 'mfa-login', later(1000))).toBeNull();
      });

      it('gives a challenge to exactly one of concurrent takes, then to nobody', async () => {
        const id = await subject().anAccount();
        await store().putChallenge('h1', challenge(id));
        const taken = await Promise.all(Array.from({ length: 8 }, () => store().takeChallenge('h1', 'mfa-login', NOW)));
        expect(taken.filter((t) => t !== null)).toEqual([challenge(id)]);
        expect(await store().peekChallenge('h1', 'mfa-login', NOW)).toBeNull();
      });

      it('takes nothing for the wrong purpose', async () => {
        const id = await subject().anAccount();
        await store().putChallenge('h1', challenge(id));
        expect(await store().takeChallenge('h1', 'passkey-registration', NOW)).toBeNull();
        expect(await store().takeChallenge('h1', 'mfa-login', NOW)).not.toBeNull();
      });
    });

    describe('session assurance', () => {
      it('keeps how a session was signed in until the session ends', async () => {
        const assurance = { amr: ['pwd' as const, 'otp' as const, 'mfa' as const], authTime: NOW };
        await store().putSessionAssurance('session-1', assurance, later(60_000));
        expect(await store().sessionAssurance('session-1', later(59_999))).toEqual(assurance);
        expect(await store().sessionAssurance('session-1', later(60_000))).toBeNull();
        expect(await store().sessionAssurance('session-2', NOW)).toBeNull();
      });
    });
  });
}
