import { describe, expect, it } from 'vitest';
import type { AccountToken, TokenPurpose } from '@authsvc/core';
import { newSecretToken, tokenHash } from '@authsvc/core';
import { aUserAccount } from '@authsvc/core/fixtures';
import type { ContractFixture } from './contract-fixture.types.js';
import type { TokenAndMailStore } from './store-fixtures.support.js';
import { useFixture } from './contract-hooks.support.js';

const HOUR = 3_600_000;

/** The AccountTokenStore contract (through a unit of work): hash-only, purpose-bound, single use, the newest one only. */
export function accountTokenStoreContract(name: string, fixture: ContractFixture<TokenAndMailStore>): void {
  describe(`${name}: account token store contract`, () => {
    const store = useFixture(fixture);
    const t0 = new Date('2026-03-01T12:00:00.000Z');

    async function anAccount(): Promise<string> {
      const account = aUserAccount();
      await store().unitOfWork.run((scope) => scope.accounts.insert(account));
      return account.id;
    }
    function aToken(accountId: string, purpose: TokenPurpose = 'verify-email', overrides: Partial<AccountToken> = {}): AccountToken {
      return { hash: tokenHash(newSecretToken()), purpose, accountId, email: 'Someone@Example.com', createdAt: t0, expiresAt: new Date(t0.getTime() + HOUR), ...overrides };
    }
    const issue = (token: AccountToken) => store().unitOfWork.run((scope) => scope.tokens.issue(token));
    const redeem = (hash: string, purpose: TokenPurpose, now: Date) => store().unitOfWork.run((scope) => scope.tokens.redeem(hash, purpose, now));

    it('redeems a token once, returning every field intact', async () => {
      const token = aToken(await anAccount());
      await issue(token);
      expect(await redeem(token.hash, 'verify-email', new Date(t0.getTime() + 1_000))).toEqual(token);
      expect(await redeem(token.hash, 'verify-email', new Date(t0.getTime() + 2_000))).toBeNull();
    });

    it('refuses a token for another purpose, without spending it', async () => {
      const token = aToken(await anAccount(), 'reset-password');
      await issue(token);
      expect(await redeem(token.hash, 'verify-email', t0)).toBeNull();
      expect(await redeem(token.hash, 'change-email', t0)).toBeNull();
      expect(await redeem(token.hash, 'reset-password', t0)).toEqual(token);
    });

    it('refuses an expired token, the expiry instant included', async () => {
      const token = aToken(await anAccount());
      await issue(token);
      expect(await redeem(token.hash, 'verify-email', token.expiresAt)).toBeNull();
    });

    it('refuses an unknown hash', async () => {
      expect(await redeem(tokenHash(newSecretToken()), 'verify-email', t0)).toBeNull();
    });

    it('a new token voids the earlier unspent ones of the same purpose and account only', async () => {
      const accountId = await anAccount();
      const otherAccount = await anAccount();
      const first = aToken(accountId);
      const reset = aToken(accountId, 'reset-password');
      const others = aToken(otherAccount);
      for (const token of [first, reset, others]) await issue(token);
      const second = aToken(accountId);
      await issue(second);
      expect(await redeem(first.hash, 'verify-email', t0)).toBeNull();
      expect(await redeem(second.hash, 'verify-email', t0)).toEqual(second);
      expect(await redeem(reset.hash, 'reset-password', t0)).toEqual(reset);
      expect(await redeem(others.hash, 'verify-email', t0)).toEqual(others);
    });

    it('voidAll voids the unspent tokens of one purpose and says how many', async () => {
      const accountId = await anAccount();
      const token = aToken(accountId, 'reset-password');
      const verify = aToken(accountId, 'verify-email');
      await issue(token);
      await issue(verify);
      expect(await store().unitOfWork.run((scope) => scope.tokens.voidAll(accountId, 'reset-password', t0))).toBe(1);
      expect(await redeem(token.hash, 'reset-password', t0)).toBeNull();
      expect(await redeem(verify.hash, 'verify-email', t0)).toEqual(verify);
      expect(await store().unitOfWork.run((scope) => scope.tokens.voidAll(accountId, 'reset-password', t0))).toBe(0);
    });

    it('a redemption in a unit of work that rolls back leaves the token unspent', async () => {
      const token = aToken(await anAccount());
      await issue(token);
      await expect(
        store().unitOfWork.run(async (scope) => {
          expect(await scope.tokens.redeem(token.hash, 'verify-email', t0)).toEqual(token);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await redeem(token.hash, 'verify-email', t0)).toEqual(token);
    });

    it('of concurrent redemptions of one token exactly one gets it', async () => {
      const token = aToken(await anAccount());
      await issue(token);
      const results = await Promise.all(Array.from({ length: 8 }, () => redeem(token.hash, 'verify-email', t0)));
      expect(results.filter((result) => result !== null)).toHaveLength(1);
    });

    it('an issue rolled back stores nothing', async () => {
      const token = aToken(await anAccount());
      await expect(
        store().unitOfWork.run(async (scope) => {
          await scope.tokens.issue(token);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await redeem(token.hash, 'verify-email', t0)).toBeNull();
    });
  });
}
