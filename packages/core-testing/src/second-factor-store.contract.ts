import { describe, expect, it } from 'vitest';
import type { Passkey, SecondFactorStore } from '@authsvc/core';
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
let credentials = 0;
const aPasskey = (accountId: string, overrides: Partial<Passkey> = {}): Passkey => ({
  credentialId: `cred-${Date.now().toString(36)}-${(credentials += 1)}-${Math.random().toString(36).slice(2)}`,
  accountId,
  publicKey: new Uint8Array([165, 1, 2, 3, 38, 32, 1, 0, 255]),
  counter: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  name: 'Laptop',
  createdAt: NOW,
  lastUsedAt: null,
  ...overrides,
});
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

    describe('passkeys', () => {
      it('registers a passkey with the recovery codes in the same write, and lists it as a factor', async () => {
        const id = await subject().anAccount();
        const passkey = aPasskey(id);
        expect(await store().addPasskey(passkey, hashes('p'))).toBe(true);
        expect(await store().passkeyById(passkey.credentialId)).toEqual(passkey);
        expect(await store().passkeysOf(id)).toEqual([passkey]);
        expect(await store().recoveryCodesLeft(id)).toBe(3);
        expect(await store().enrolledFactors(id)).toEqual(['passkey', 'recovery_code']);
      });

      it('refuses a credential id registered already, by any account, and writes nothing with it', async () => {
        const [a, b] = [await subject().anAccount(), await subject().anAccount()];
        const passkey = aPasskey(a);
        await store().addPasskey(passkey, null);
        expect(await store().addPasskey({ ...passkey, accountId: b, name: 'Other' }, hashes('b'))).toBe(false);
        expect(await store().passkeyById(passkey.credentialId)).toMatchObject({ accountId: a, name: 'Laptop' });
        expect(await store().recoveryCodesLeft(b)).toBe(0);
        expect(await store().passkeysOf(b)).toEqual([]);
      });

      it('lists an account’s passkeys oldest first, and only its own', async () => {
        const [a, b] = [await subject().anAccount(), await subject().anAccount()];
        const second = aPasskey(a, { createdAt: later(2000), name: null, deviceType: 'singleDevice', backedUp: false, transports: [] });
        const first = aPasskey(a, { createdAt: later(1000) });
        await store().addPasskey(second, null);
        await store().addPasskey(first, null);
        await store().addPasskey(aPasskey(b), null);
        expect(await store().passkeysOf(a)).toEqual([first, second]);
        expect(await store().enrolledFactors(a)).toEqual(['passkey']);
        expect(await store().passkeyById('no-such-credential')).toBeNull();
      });

      it('records a use only when the signature counter moves forward (a key without a counter stays at 0)', async () => {
        const id = await subject().anAccount();
        const counting = aPasskey(id, { counter: 5 });
        const still = aPasskey(id);
        await store().addPasskey(counting, null);
        await store().addPasskey(still, null);
        expect(await store().usePasskey(counting.credentialId, 5, later(1))).toBe(false);
        expect(await store().usePasskey(counting.credentialId, 4, later(1))).toBe(false);
        expect(await store().usePasskey(counting.credentialId, 6, later(2))).toBe(true);
        expect(await store().passkeyById(counting.credentialId)).toMatchObject({ counter: 6, lastUsedAt: later(2) });
        expect(await store().usePasskey(still.credentialId, 0, later(3))).toBe(true);
        expect(await store().usePasskey(still.credentialId, 0, later(4))).toBe(true);
        expect(await store().usePasskey('no-such-credential', 9, later(4))).toBe(false);
      });

      it('moves a counter once for concurrent uses with the same counter', async () => {
        const id = await subject().anAccount();
        const passkey = aPasskey(id, { counter: 1 });
        await store().addPasskey(passkey, null);
        const used = await Promise.all(Array.from({ length: 6 }, () => store().usePasskey(passkey.credentialId, 2, later(1))));
        expect(used.filter(Boolean)).toHaveLength(1);
      });

      it('removes only its owner’s passkey, with the recovery codes when asked', async () => {
        const [a, b] = [await subject().anAccount(), await subject().anAccount()];
        const passkey = aPasskey(a);
        await store().addPasskey(passkey, hashes('r'));
        expect(await store().removePasskey(b, passkey.credentialId, true)).toBe(false);
        expect(await store().removePasskey(a, passkey.credentialId, true)).toBe(true);
        expect(await store().passkeyById(passkey.credentialId)).toBeNull();
        expect(await store().enrolledFactors(a)).toEqual([]);
        expect(await store().removePasskey(a, passkey.credentialId, false)).toBe(false);
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
