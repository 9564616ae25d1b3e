import { describe, expect, it } from 'vitest';
import type { AccountStore } from './store-fixtures.support.js';
import { aUserAccount, anArtistAccount, anOutboxEvent, peekPending, rejectionOf, gate } from '@authsvc/core/fixtures';
import { expectDomainError } from './contract-assertions.support.js';
import type { Account } from '@authsvc/core';

/** Atomicity of the unit of work as seen through the account store; part of accountStoreContract. */
export function describeAccountUnitOfWork(store: () => AccountStore, oneTransactionAtATime: boolean): void {
  const insert = (account: Account) => store().unitOfWork.run((scope) => scope.accounts.insert(account));
  const eventFor = (account: Account) => anOutboxEvent({ key: account.id });

  describe('unit of work', () => {
    it('commits an account together with its outbox event', async () => {
      const user = aUserAccount();
      const event = eventFor(user);
      const result = await store().unitOfWork.run(async (scope) => {
        await scope.accounts.insert(user);
        await scope.outbox.append([event]);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await store().accounts.findById(user.id)).toEqual(user);
      const relay = store().relayStore;
      if (relay) expect((await peekPending(relay, [user.id])).map((pending) => pending.id)).toEqual([event.id]);
    });

    it('rolls back on a throw after the insert: neither the account nor its outbox event remain, and the error is rethrown', async () => {
      const user = aUserAccount();
      const boom = new Error('failure after the insert');
      const error = await rejectionOf(
        store().unitOfWork.run(async (scope) => {
          await scope.accounts.insert(user);
          await scope.outbox.append([eventFor(user)]);
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      expect(await store().accounts.findById(user.id)).toBeNull();
      expect(await store().accounts.findByLogin(user.username)).toBeNull();
      const relay = store().relayStore;
      if (relay) expect(await peekPending(relay, [user.id])).toEqual([]);
      await insert(aUserAccount({ username: user.username, email: user.email }));
      expect(await store().accounts.findByLogin(user.email)).not.toBeNull();
    });

    it('rolls back an update on a throw', async () => {
      const user = aUserAccount();
      await insert(user);
      await rejectionOf(
        store().unitOfWork.run(async (scope) => {
          await scope.accounts.update(user.id, { age: 99 }, new Date());
          throw new Error('abort');
        }),
      );
      expect(await store().accounts.findById(user.id)).toEqual(user);
    });

    it('rolls back the first insert when a second one in the same unit of work clashes', async () => {
      const first = aUserAccount();
      const second = aUserAccount({ username: first.username.toUpperCase() });
      await expectDomainError(
        store().unitOfWork.run(async (scope) => {
          await scope.accounts.insert(first);
          await scope.accounts.insert(second);
        }),
        'USERNAME_TAKEN',
      );
      expect(await store().accounts.findById(first.id)).toBeNull();
    });

    it('lets a unit of work give a username it freed by a rename to a new account', async () => {
      const user = aUserAccount();
      await insert(user);
      const renamed = aUserAccount();
      const newcomer = aUserAccount({ username: user.username.toUpperCase() });
      await store().unitOfWork.run(async (scope) => {
        await scope.accounts.update(user.id, { username: renamed.username }, new Date());
        await scope.accounts.insert(newcomer);
      });
      expect((await store().accounts.findByLogin(user.username))?.id).toBe(newcomer.id);
      expect((await store().accounts.findByLogin(renamed.username))?.id).toBe(user.id);
    });

    it.skipIf(oneTransactionAtATime)('shows its own uncommitted writes inside the unit of work and hides them from readers outside until commit', async () => {
      const artist = anArtistAccount();
      const inserted = gate();
      const release = gate();
      let seenInside: Account | null = null;
      const running = store().unitOfWork.run(async (scope) => {
        await scope.accounts.insert(artist);
        seenInside = await scope.accounts.findByLogin(artist.username.toUpperCase());
        inserted.open();
        await release.promise;
      });
      await inserted.promise;
      expect(seenInside).toEqual(artist);
      expect(await store().accounts.findById(artist.id)).toBeNull();
      release.open();
      await running;
      expect(await store().accounts.findById(artist.id)).toEqual(artist);
    });

    it('writes exactly one outbox event when 10 racing registrations of one username commit only one', async () => {
      const base = aUserAccount();
      const contenders = Array.from({ length: 10 }, (_, i) =>
        aUserAccount({ username: i % 2 === 0 ? base.username : base.username.toUpperCase() }),
      );
      const results = await Promise.allSettled(
        contenders.map((account) =>
          store().unitOfWork.run(async (scope) => {
            await scope.accounts.insert(account);
            await scope.outbox.append([eventFor(account)]);
          }),
        ),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const relay = store().relayStore;
      if (relay) expect(await peekPending(relay, contenders.map((account) => account.id))).toHaveLength(1);
    });
  });
}
