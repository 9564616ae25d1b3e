import { describe, expect, it } from 'vitest';
import type { AccountStore } from './store-fixtures.support.js';
import { aUserAccount, anArtistAccount } from '@authsvc/core/fixtures';
import { expectDomainError } from './contract-assertions.support.js';
import type { Account, AccountPatch } from '@authsvc/core';

/** Partial updates through AccountWriter.update; part of accountStoreContract. */
export function describeAccountUpdates(store: () => AccountStore): void {
  const insert = (account: Account) => store().unitOfWork.run((scope) => scope.accounts.insert(account));
  const update = (id: string, patch: AccountPatch, at: Date) =>
    store().unitOfWork.run((scope) => scope.accounts.update(id, patch, at));

  describe('partial update', () => {
    it('writes only the given fields and updatedAt, and returns the account after the change', async () => {
      const user = aUserAccount({ createdAt: new Date('2026-02-01T10:00:00.123Z') });
      await insert(user);
      const later = new Date('2026-02-02T11:22:33.456Z');
      const expected = { ...user, age: 71, country: 'NO', updatedAt: later };
      expect(await update(user.id, { age: 71, country: 'NO' }, later)).toEqual(expected);
      expect(await store().accounts.findById(user.id)).toEqual(expected);
    });

    it('stores when the email was verified, to the ms, and clears it with null', async () => {
      const user = aUserAccount({ emailVerifiedAt: new Date('2026-02-01T10:00:00.123Z') });
      await insert(user);
      expect(await store().accounts.findById(user.id)).toEqual(user);
      const later = new Date('2026-02-03T10:00:00.999Z');
      expect(await update(user.id, { emailVerifiedAt: null }, later)).toEqual({ ...user, emailVerifiedAt: null, updatedAt: later });
      const verified = new Date('2026-02-04T10:00:00.321Z');
      expect(await update(user.id, { emailVerifiedAt: verified }, verified)).toMatchObject({ emailVerifiedAt: verified });
    });

    it('clears an artist producer when the patch sets it to null, leaving the rest alone', async () => {
      const artist = anArtistAccount({ producer: 'Someone' });
      await insert(artist);
      const later = new Date(artist.createdAt.getTime() + 1_000);
      const updated = await update(artist.id, { producer: null }, later);
      expect(updated).toEqual({ ...artist, producer: null, updatedAt: later });
    });

    it('leaves the producer alone when the patch does not mention it', async () => {
      const artist = anArtistAccount({ producer: 'Keeps This' });
      await insert(artist);
      const updated = await update(artist.id, { description: 'new description' }, new Date());
      expect(updated?.kind === 'artist' && updated.producer).toBe('Keeps This');
    });

    it('changes role and password hash, which login and token issuing read back', async () => {
      const user = aUserAccount();
      await insert(user);
      const hash = '$2b$12$zyxwvutsrqponmlkjihgfeN3bXk9m2QfJ0yq0sLwKxQq6Vd8eXyZa';
      await update(user.id, { role: 'ADMIN', passwordHash: hash }, new Date());
      expect(await store().accounts.findByLogin(user.email)).toMatchObject({ role: 'ADMIN', passwordHash: hash });
    });

    it('moves lookups to the new username and email, and frees the old ones', async () => {
      const user = aUserAccount();
      await insert(user);
      const renamed = aUserAccount();
      await update(user.id, { username: renamed.username, email: renamed.email }, new Date());
      expect(await store().accounts.findByLogin(user.username)).toBeNull();
      expect(await store().accounts.findByLogin(user.email)).toBeNull();
      expect((await store().accounts.findByLogin(renamed.username.toUpperCase()))?.id).toBe(user.id);
      expect((await store().accounts.findByLogin(renamed.email))?.id).toBe(user.id);
      const newcomer = aUserAccount({ username: user.username, email: user.email });
      await insert(newcomer);
      expect((await store().accounts.findByLogin(user.username))?.id).toBe(newcomer.id);
    });

    it('allows renaming to another letter case of the account’s own username, email and author', async () => {
      const artist = anArtistAccount();
      await insert(artist);
      const patch = { username: artist.username.toUpperCase(), email: artist.email.toUpperCase(), author: artist.author.toUpperCase() };
      expect(await update(artist.id, patch, new Date())).toMatchObject(patch);
    });

    it('returns null for an unknown id or an id that is not a UUID', async () => {
      expect(await update('019a0000-0000-7000-8000-00000000abcd', { age: 20 }, new Date())).toBeNull();
      expect(await update('not-a-uuid', { age: 20 }, new Date())).toBeNull();
    });

    it('rejects taking another account’s username in other case, and changes nothing', async () => {
      const taken = anArtistAccount();
      const user = aUserAccount();
      await insert(taken);
      await insert(user);
      await expectDomainError(update(user.id, { username: taken.username.toUpperCase(), age: 99 }, new Date()), 'USERNAME_TAKEN');
      expect(await store().accounts.findById(user.id)).toEqual(user);
    });

    it('rejects taking another account’s email in other case', async () => {
      const taken = aUserAccount();
      const user = aUserAccount();
      await insert(taken);
      await insert(user);
      await expectDomainError(update(user.id, { email: taken.email.toUpperCase() }, new Date()), 'EMAIL_TAKEN');
    });

    it('rejects taking another artist’s author in other case', async () => {
      const taken = anArtistAccount();
      const artist = anArtistAccount();
      await insert(taken);
      await insert(artist);
      await expectDomainError(update(artist.id, { author: taken.author.toLowerCase() }, new Date()), 'AUTHOR_TAKEN');
      expect(await store().accounts.findById(artist.id)).toEqual(artist);
    });
  });
}
