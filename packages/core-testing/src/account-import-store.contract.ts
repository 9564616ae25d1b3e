import { describe, expect, it } from 'vitest';
import type { Account, AccountImportStore, AccountReader, OutboxEvent, OutboxRelayStore, PendingEvent, UnitOfWork } from '@authsvc/core';
import { aUserAccount, anArtistAccount, anOutboxEvent, uniqueSuffix } from '@authsvc/core/fixtures';
import type { ContractFixture } from './contract-fixture.types.js';
import { useFixture } from './contract-hooks.support.js';

/** The import store with the reading side of the same store, to see what was really written. */
export interface AccountImportUnderTest {
  accountImport: AccountImportStore;
  accounts: AccountReader;
  unitOfWork: UnitOfWork;
  relayStore: OutboxRelayStore;
}

/**
 * The account import contract: batches insert what is new, skip what is stored under the same id (idempotent re-runs),
 * refuse a clash (with a stored account or an earlier one of the batch) without writing anything of it, and write an
 * account's events only when the account is inserted.
 */
export function accountImportStoreContract(name: string, fixture: ContractFixture<AccountImportUnderTest>): void {
  describe(`${name}: account import store contract`, () => {
    const store = useFixture(fixture);
    const item = (account: Account, events: readonly OutboxEvent[] = []) => ({ account, events });
    const pendingEvents = async (): Promise<PendingEvent[]> => {
      const seen: PendingEvent[] = [];
      await store().relayStore.processBatch(1_000, async (events) => {
        seen.push(...events);
        return { published: [], failed: [] };
      });
      return seen;
    };

    it('inserts users and artists with every field intact, hashes as given', async () => {
      const user = aUserAccount({ passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', createdAt: new Date('2020-01-02T03:04:05.678Z'), updatedAt: new Date('2020-01-02T03:04:05.678Z') });
      const artist = anArtistAccount({ producer: null });
      expect(await store().accountImport.insertNew([item(user), item(artist)])).toEqual(['inserted', 'inserted']);
      expect(await store().accounts.findById(user.id)).toEqual(user);
      expect(await store().accounts.findById(artist.id)).toEqual(artist);
    });

    it('refuses the id of an erased account as stored (exists), whatever its names, and writes nothing of it', async () => {
      const user = aUserAccount();
      await store().accountImport.insertNew([item(user)]);
      const when = new Date('2026-11-01T00:00:00.000Z');
      await store().unitOfWork.run(async (scope) => {
        await scope.accounts.update(user.id, { deletedAt: when }, when);
        await scope.accounts.erase(user.id, when, when);
      });
      const reborn = aUserAccount({ id: user.id });
      const event = anOutboxEvent({ key: user.id });
      expect(await store().accountImport.insertNew([item(reborn, [event])])).toEqual(['exists']);
      expect(await store().accounts.findById(user.id)).toBeNull();
      expect(await store().accounts.findByLogin(reborn.username)).toBeNull();
      expect((await pendingEvents()).map((e) => e.id)).not.toContain(event.id);
    });

    it('is idempotent by id: an account already stored under its id is reported and left unchanged', async () => {
      const user = aUserAccount();
      await store().accountImport.insertNew([item(user)]);
      const changed = { ...user, username: `changed_${uniqueSuffix()}`, email: `changed_${uniqueSuffix()}@example.com` };
      const event = anOutboxEvent({ key: user.id });
      expect(await store().accountImport.insertNew([item(changed, [event])])).toEqual(['exists']);
      expect(await store().accounts.findById(user.id)).toEqual(user);
      expect((await pendingEvents()).map((e) => e.id)).not.toContain(event.id);
    });

    it('refuses a username, email or stage name taken in any case, writing nothing of that account, and inserts the rest', async () => {
      const stored = anArtistAccount();
      await store().accountImport.insertNew([item(stored)]);
      const sameName = aUserAccount({ username: stored.username.toUpperCase() });
      const sameEmail = aUserAccount({ email: stored.email.toUpperCase() });
      const sameAuthor = anArtistAccount({ author: stored.author.toLowerCase() });
      const fresh = aUserAccount();
      const events = [sameName, sameEmail, sameAuthor, fresh].map((account) => anOutboxEvent({ key: account.id }));
      const outcomes = await store().accountImport.insertNew([sameName, sameEmail, sameAuthor, fresh].map((account, i) => item(account, [events[i]!])));
      expect(outcomes).toEqual(['USERNAME_TAKEN', 'EMAIL_TAKEN', 'AUTHOR_TAKEN', 'inserted']);
      for (const refused of [sameName, sameEmail, sameAuthor]) expect(await store().accounts.findById(refused.id)).toBeNull();
      expect(await store().accounts.findByLogin(sameName.email)).toBeNull();
      expect(await store().accounts.findByLogin(sameAuthor.username)).toBeNull();
      expect((await pendingEvents()).map((e) => e.id)).toEqual([events[3]!.id]);
    });

    it('within one batch, the first of two accounts with the same email wins', async () => {
      const first = aUserAccount();
      const second = aUserAccount({ email: first.email.toUpperCase() });
      expect(await store().accountImport.insertNew([item(first), item(second)])).toEqual(['inserted', 'EMAIL_TAKEN']);
      expect(await store().accounts.findById(second.id)).toBeNull();
    });

    it('writes the events of the inserted accounts only, in batch order, committed with them', async () => {
      const accounts = [aUserAccount(), anArtistAccount(), aUserAccount()];
      const events = accounts.map((account) => anOutboxEvent({ key: account.id }));
      await store().accountImport.insertNew(accounts.map((account, i) => item(account, [events[i]!])));
      expect((await pendingEvents()).map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('an empty batch writes nothing', async () => {
      expect(await store().accountImport.insertNew([])).toEqual([]);
      expect(await pendingEvents()).toEqual([]);
    });
  });
}
