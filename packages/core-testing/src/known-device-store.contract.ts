import { describe, expect, it } from 'vitest';
import { deviceFingerprint } from '@authsvc/core';
import { aUserAccount } from '@authsvc/core/fixtures';
import type { ContractFixture } from './contract-fixture.types.js';
import type { TokenAndMailStore } from './store-fixtures.support.js';
import { useFixture } from './contract-hooks.support.js';

/** The KnownDeviceStore contract (through a unit of work): first, new, known; per account; only what committed. */
export function knownDeviceStoreContract(name: string, fixture: ContractFixture<TokenAndMailStore>): void {
  describe(`${name}: known device store contract`, () => {
    const store = useFixture(fixture);
    const now = new Date('2026-05-01T09:00:00.000Z');
    const phone = deviceFingerprint({ userAgent: 'Player/2.0 (iOS 18)', clientAddress: '203.0.113.9' });
    const laptop = deviceFingerprint({ userAgent: 'Mozilla/5.0', clientAddress: '2001:db8:abcd::1' });

    async function anAccount(): Promise<string> {
      const account = aUserAccount();
      await store().unitOfWork.run((scope) => scope.accounts.insert(account));
      return account.id;
    }
    const remember = (accountId: string, fingerprint: string) => store().unitOfWork.run((scope) => scope.devices.remember(accountId, fingerprint, now));

    it('an account\'s first device is first, another one new, either seen again known', async () => {
      const id = await anAccount();
      expect(await remember(id, phone)).toBe('first');
      expect(await remember(id, phone)).toBe('known');
      expect(await remember(id, laptop)).toBe('new');
      expect(await remember(id, laptop)).toBe('known');
      expect(await remember(id, phone)).toBe('known');
    });

    it('devices are per account: one account\'s device is first for another', async () => {
      const one = await anAccount();
      const other = await anAccount();
      expect(await remember(one, phone)).toBe('first');
      expect(await remember(other, phone)).toBe('first');
      expect(await remember(other, laptop)).toBe('new');
    });

    it('a device remembered in a unit of work that rolled back stays unknown', async () => {
      const id = await anAccount();
      await expect(
        store().unitOfWork.run(async (scope) => {
          expect(await scope.devices.remember(id, phone, now)).toBe('first');
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await remember(id, phone)).toBe('first');
    });

    it('within one unit of work, a second device after the first is new, and the first again known', async () => {
      const id = await anAccount();
      const seen = await store().unitOfWork.run(async (scope) => [
        await scope.devices.remember(id, phone, now),
        await scope.devices.remember(id, laptop, now),
        await scope.devices.remember(id, phone, now),
      ]);
      expect(seen).toEqual(['first', 'new', 'known']);
    });
  });
}
