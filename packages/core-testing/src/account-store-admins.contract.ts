import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AccountStore } from './store-fixtures.support.js';
import { aUserAccount, anArtistAccount } from '@authsvc/core/fixtures';
import { requireAnotherAdmin, type Account } from '@authsvc/core';

/** AccountWriter.lockAdmins, the ground of the last-admin guard; part of accountStoreContract. */
export function describeAdminLocks(store: () => AccountStore): void {
  const insert = (account: Account) => store().unitOfWork.run((scope) => scope.accounts.insert(account));

  describe('admins locked for a role change', () => {
    it('lists every admin and only admins, with the writes of its own unit of work', async () => {
      const [admin, artistAdmin, user, demoted] = [
        aUserAccount({ role: 'ADMIN' }),
        anArtistAccount({ role: 'ADMIN' }),
        aUserAccount(),
        aUserAccount({ role: 'ADMIN' }),
      ];
      for (const account of [admin, artistAdmin, user, demoted]) await insert(account);
      const listed = await store().unitOfWork.run(async (scope) => {
        await scope.accounts.update(user.id, { role: 'ADMIN' }, new Date());
        await scope.accounts.update(demoted.id, { role: 'USER' }, new Date());
        return scope.accounts.lockAdmins();
      });
      expect([...listed].sort()).toEqual([admin.id, artistAdmin.id, user.id].sort());
    });

    it('lists nobody when there is no admin', async () => {
      await insert(aUserAccount());
      expect(await store().unitOfWork.run((scope) => scope.accounts.lockAdmins())).toEqual([]);
    });

    it('lets only one of two concurrent demotions of the last two admins commit: the other sees one admin left', async () => {
      const admins = [aUserAccount({ role: 'ADMIN' }), aUserAccount({ role: 'ADMIN' })];
      for (const account of admins) await insert(account);
      const demote = (id: string) =>
        store().unitOfWork.run(async (scope) => {
          await requireAnotherAdmin(scope.accounts, id, new Date());
          // Holds the lock long enough for the other unit of work to reach lockAdmins and wait there.
          await sleep(100);
          await scope.accounts.update(id, { role: 'USER' }, new Date());
        });
      const results = await Promise.allSettled(admins.map((admin) => demote(admin.id)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ name: 'DomainError', code: 'LAST_ADMIN' });
      const after = await Promise.all(admins.map((admin) => store().accounts.findById(admin.id)));
      expect(after.filter((account) => account?.role === 'ADMIN')).toHaveLength(1);
    });

    it('lets only one of two concurrent disables of the last two enabled admins commit, and a disabled admin does not count', async () => {
      const admins = [aUserAccount({ role: 'ADMIN' }), aUserAccount({ role: 'ADMIN' })];
      const alreadyDisabled = aUserAccount({ role: 'ADMIN', disabled: { reason: 'away', since: new Date(), until: null } });
      for (const account of [...admins, alreadyDisabled]) await insert(account);
      const disable = (id: string) =>
        store().unitOfWork.run(async (scope) => {
          const now = new Date();
          await requireAnotherAdmin(scope.accounts, id, now);
          await sleep(100);
          await scope.accounts.update(id, { disabled: { reason: 'each other', since: now, until: null } }, now);
        });
      const results = await Promise.allSettled(admins.map((admin) => disable(admin.id)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      expect(refused[0]).toMatchObject({ name: 'DomainError', code: 'LAST_ADMIN' });
      const after = await Promise.all(admins.map((admin) => store().accounts.findById(admin.id)));
      expect(after.filter((account) => account?.disabled === null)).toHaveLength(1);
    });
  });
}
