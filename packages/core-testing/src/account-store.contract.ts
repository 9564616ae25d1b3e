import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { AccountStore } from './store-fixtures.support.js';
import { aUserAccount, anArtistAccount, uniqueSuffix } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';
import { expectDomainError } from './contract-assertions.support.js';
import { describeAccountUpdates } from './account-store-updates.contract.js';
import { describeAccountUnitOfWork } from './account-store-unit-of-work.contract.js';
import { describeAdminLocks } from './account-store-admins.contract.js';
import { describeAccountSearch } from './account-store-search.contract.js';
import { describeAccountErasure } from './account-store-erasure.contract.js';
import type { Account } from '@authsvc/core';

/** Same letters, the case of each letter flipped where bit i of `variant` is set. */
export function caseVariant(text: string, variant: number): string {
  let bit = 0;
  return [...text]
    .map((char) => {
      if (char.toLowerCase() === char.toUpperCase()) return char;
      const flip = ((variant >> bit++) & 1) === 1;
      const flipped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
      return flip ? flipped : char;
    })
    .join('');
}

/**
 * The account store contract (AccountReader + AccountWriter through a UnitOfWork): lookups, case-insensitive
 * uniqueness that holds under races, partial updates and transactional rollback.
 */
export function accountStoreContract(name: string, fixture: ContractFixture<AccountStore>): void {
  describe(`${name}: account store contract`, () => {
    const store = useFixture(fixture);
    const insert = (account: Account) => store().unitOfWork.run((scope) => scope.accounts.insert(account));

    describe('insert and find', () => {
      it('finds an inserted user by id with every field intact and timestamps to the millisecond', async () => {
        const user = aUserAccount({
          createdAt: new Date('2026-03-04T05:06:07.891Z'),
          updatedAt: new Date('2026-03-05T06:07:08.009Z'),
          role: 'ADMIN',
          gender: 'non_binary',
          country: 'BR',
          age: 150,
        });
        await insert(user);
        expect(await store().accounts.findById(user.id)).toEqual(user);
      });

      it('finds an inserted artist by id with every field intact, including a null producer', async () => {
        const artist = anArtistAccount({ producer: null, description: 'Ünïcödé ✓ — 🎸', createdAt: new Date('2026-01-01T00:00:00.001Z') });
        await insert(artist);
        const found = await store().accounts.findById(artist.id);
        expect(found).toEqual(artist);
        expect(found?.kind === 'artist' && found.producer).toBeNull();
      });

      it('finds an account by its username in any letter case', async () => {
        const user = aUserAccount({ username: `MixedCase_${uniqueSuffix()}` });
        await insert(user);
        expect((await store().accounts.findByLogin(user.username.toLowerCase()))?.id).toBe(user.id);
        expect((await store().accounts.findByLogin(user.username.toUpperCase()))?.id).toBe(user.id);
      });

      it('finds an account by its email in any letter case', async () => {
        const artist = anArtistAccount();
        await insert(artist);
        expect((await store().accounts.findByLogin(artist.email.toUpperCase()))?.id).toBe(artist.id);
        expect(await store().accounts.findByLogin(artist.email)).toEqual(artist);
      });

      it('finds an account by its username or email spelled with surrounding white space or compatibility forms (normalizeLogin)', async () => {
        const user = aUserAccount({ username: `Spaced_${uniqueSuffix()}` });
        await insert(user);
        const fullWidth = (text: string) => [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
        for (const login of [` ${user.username} `, `\t${user.username.toUpperCase()}\n`, fullWidth(user.username), `  ${user.email.toUpperCase()}`]) {
          expect((await store().accounts.findByLogin(login))?.id, JSON.stringify(login)).toBe(user.id);
        }
      });

      it('finds an account by its id in upper case and returns the id in lower case (a UUID has no letter case)', async () => {
        const user = aUserAccount();
        await insert(user);
        expect(await store().accounts.findById(user.id.toUpperCase())).toEqual(user);
        const later = new Date(user.createdAt.getTime() + 1_000);
        const updated = await store().unitOfWork.run((scope) => scope.accounts.update(user.id.toUpperCase(), { age: 44 }, later));
        expect(updated).toEqual({ ...user, age: 44, updatedAt: later });
      });

      it('returns null for an unknown login, id, or an id that is not a UUID', async () => {
        await insert(aUserAccount());
        expect(await store().accounts.findByLogin('nobody_by_this_name')).toBeNull();
        expect(await store().accounts.findByLogin('nobody@example.com')).toBeNull();
        expect(await store().accounts.findById('019a0000-0000-7000-8000-000000000000')).toBeNull();
        expect(await store().accounts.findById('not-a-uuid')).toBeNull();
        expect(await store().accounts.findById('')).toBeNull();
        expect(await store().accounts.findById("1' OR '1'='1")).toBeNull();
      });
    });

    describe('case-insensitive uniqueness', () => {
      it('rejects a second user with the same username in other case', async () => {
        const first = aUserAccount();
        await insert(first);
        await expectDomainError(insert(aUserAccount({ username: first.username.toUpperCase() })), 'USERNAME_TAKEN');
      });

      it('rejects an artist whose username a user already has in other case (one namespace for both kinds)', async () => {
        const user = aUserAccount();
        await insert(user);
        await expectDomainError(insert(anArtistAccount({ username: caseVariant(user.username, 0b101) })), 'USERNAME_TAKEN');
      });

      it('rejects a user whose username an artist already has in other case', async () => {
        const artist = anArtistAccount();
        await insert(artist);
        await expectDomainError(insert(aUserAccount({ username: artist.username.toUpperCase() })), 'USERNAME_TAKEN');
      });

      it('rejects a second account with the same email in other case', async () => {
        const first = aUserAccount();
        await insert(first);
        await expectDomainError(insert(anArtistAccount({ email: first.email.toUpperCase() })), 'EMAIL_TAKEN');
      });

      it('rejects a second artist with the same author in other case', async () => {
        const first = anArtistAccount();
        await insert(first);
        await expectDomainError(insert(anArtistAccount({ author: first.author.toUpperCase() })), 'AUTHOR_TAKEN');
      });

      it.each([
        ['a zero-width space', (author: string) => `${author}\u200b`],
        ['a right-to-left override', (author: string) => `\u202e${author}`],
        ['a Cyrillic а for the Latin a', (author: string) => author.replace('a', '\u0430')],
        ['full-width letters and doubled spaces', (author: string) => author.replace('Drake', 'Ｄｒａｋｅ').replace(' ', '  ')],
        ['a digit 0 for the letter o', (author: string) => author.replace('o', '0')],
      ])('rejects a second artist whose author differs from the first only by %s', async (_difference, disguise) => {
        const first = anArtistAccount({ author: `Drake of ${uniqueSuffix()}` });
        await insert(first);
        await expectDomainError(insert(anArtistAccount({ author: disguise(first.author) })), 'AUTHOR_TAKEN');
        const other = anArtistAccount();
        await insert(other);
        await expectDomainError(
          store().unitOfWork.run((scope) => scope.accounts.update(other.id, { author: disguise(first.author) }, new Date())),
          'AUTHOR_TAKEN',
        );
      });

      it('does not make a clash out of a failed insert: the rejected account is not stored', async () => {
        const first = aUserAccount();
        await insert(first);
        const clash = aUserAccount({ username: first.username.toUpperCase() });
        await expectDomainError(insert(clash), 'USERNAME_TAKEN');
        expect(await store().accounts.findById(clash.id)).toBeNull();
        expect(await store().accounts.findByLogin(clash.email)).toBeNull();
        expect((await store().accounts.findByLogin(first.username))?.id).toBe(first.id);
      });

      it('ends 20 concurrent registrations of one username in different case with exactly one account', async () => {
        const base = `RaceName_${uniqueSuffix()}`;
        const contenders = Array.from({ length: 20 }, (_, i) => aUserAccount({ username: caseVariant(base, i) }));
        const results = await Promise.allSettled(contenders.map((account) => insert(account)));
        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const reason of losers) expect(reason).toMatchObject({ code: 'USERNAME_TAKEN' });
        const stored = await Promise.all(contenders.map((account) => store().accounts.findById(account.id)));
        expect(stored.filter((account) => account !== null)).toHaveLength(1);
      });

      it('ends 10 concurrent registrations of one email in different case with exactly one account', async () => {
        const email = `Race.Mail_${uniqueSuffix()}@Example.com`;
        const contenders = Array.from({ length: 10 }, (_, i) => aUserAccount({ email: caseVariant(email, i * 37) }));
        const results = await Promise.allSettled(contenders.map((account) => insert(account)));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'EMAIL_TAKEN' });
        }
      });
    });

    describeAccountUpdates(store);
    describeAccountUnitOfWork(store, fixture.oneTransactionAtATime === true);
    describeAdminLocks(store);
    describeAccountSearch(store);
    describeAccountErasure(store);
  });
}
