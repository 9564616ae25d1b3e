import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Account, AccountToken } from '@authsvc/core';
import { aUserAccount, anArtistAccount, anOutboxEvent, peekPending, rejectionOf } from '@authsvc/core/fixtures';
import type { AccountStore } from './store-fixtures.support.js';

const DAY = 86_400_000;

/** The end of an account: `deletedAt`, AccountReader.deletedBefore, AccountWriter.erase, OutboxWriter.forgetPublished; part of accountStoreContract. */
export function describeAccountErasure(store: () => AccountStore): void {
  const insert = (account: Account) => store().unitOfWork.run((scope) => scope.accounts.insert(account));
  const t0 = new Date('2026-11-01T10:00:00.000Z');
  const at = (offsetMs: number) => new Date(t0.getTime() + offsetMs);
  const deleted = async (account: Account, when: Date) => {
    await insert(account);
    await store().unitOfWork.run((scope) => scope.accounts.update(account.id, { deletedAt: when }, when));
  };
  const erase = (id: string, before: Date) => store().unitOfWork.run((scope) => scope.accounts.erase(id, before, at(30 * DAY)));

  describe('deletion and erasure', () => {
    it('keeps deletedAt as written, and null clears it again', async () => {
      const account = aUserAccount();
      await deleted(account, at(0));
      expect((await store().accounts.findById(account.id))?.deletedAt).toEqual(at(0));
      await store().unitOfWork.run((scope) => scope.accounts.update(account.id, { deletedAt: null }, at(1)));
      expect((await store().accounts.findById(account.id))?.deletedAt).toBeNull();
    });

    it('deletedBefore lists the accounts deleted at or before the cutoff only, the longest deleted first, up to the limit', async () => {
      const [first, second, later, live] = [aUserAccount(), anArtistAccount(), aUserAccount(), aUserAccount()];
      await deleted(second, at(2_000));
      await deleted(first, at(1_000));
      await deleted(later, at(5_000));
      await insert(live);
      expect(await store().accounts.deletedBefore(at(2_000), 10)).toEqual([first.id, second.id]);
      expect(await store().accounts.deletedBefore(at(2_000), 1)).toEqual([first.id]);
      expect(await store().accounts.deletedBefore(at(-1), 10)).toEqual([]);
    });

    it('erase removes a deleted account and frees its username, email and stage name; its id is never inserted again', async () => {
      const artist = anArtistAccount();
      await deleted(artist, at(0));
      const gone = await erase(artist.id, at(DAY));
      expect(gone).toMatchObject({ id: artist.id, kind: 'artist', username: artist.username });
      expect(await store().accounts.findById(artist.id)).toBeNull();
      expect(await store().accounts.findByLogin(artist.email)).toBeNull();
      expect(await store().accounts.deletedBefore(at(DAY), 10)).toEqual([]);
      // The same names, another id: free.
      await insert(anArtistAccount({ username: artist.username, email: artist.email, author: artist.kind === 'artist' ? artist.author : 'x' }));
      // The erased id, other names: refused, and nothing of it written.
      const again = aUserAccount({ id: artist.id });
      expect(await rejectionOf(insert(again))).toBeInstanceOf(Error);
      expect(await store().accounts.findByLogin(again.username)).toBeNull();
    });

    it('erase leaves an account that is not deleted, or deleted after the cutoff, and an unknown id, answering null', async () => {
      const [live, recent] = [aUserAccount(), aUserAccount()];
      await insert(live);
      await deleted(recent, at(2 * DAY));
      expect(await erase(live.id, at(DAY))).toBeNull();
      expect(await erase(recent.id, at(DAY))).toBeNull();
      expect(await erase(aUserAccount().id, at(DAY))).toBeNull();
      expect(await store().accounts.findById(live.id)).not.toBeNull();
      expect(await store().accounts.findById(recent.id)).not.toBeNull();
    });

    it('an erasure rolled back leaves the account as it was, names and id included', async () => {
      const account = aUserAccount();
      await deleted(account, at(0));
      await rejectionOf(
        store().unitOfWork.run(async (scope) => {
          await scope.accounts.erase(account.id, at(DAY), at(DAY));
          throw new Error('rolled back');
        }),
      );
      expect(await store().accounts.findByLogin(account.username)).toMatchObject({ id: account.id, deletedAt: at(0) });
    });

    it('erase deletes the account\'s mailed tokens with it', async () => {
      const account = aUserAccount();
      await deleted(account, at(0));
      const token: AccountToken = { hash: `hash-${account.id}`, accountId: account.id, purpose: 'reset-password', email: account.email, createdAt: at(0), expiresAt: at(365 * DAY) };
      await store().unitOfWork.run((scope) => scope.tokens.issue(token));
      await erase(account.id, at(DAY));
      expect(await store().unitOfWork.run((scope) => scope.tokens.redeem(token.hash, 'reset-password', at(2)))).toBeNull();
    });

    it('a restore that commits while an erasure waits for the row wins: the erasure finds nothing to erase', async () => {
      const account = aUserAccount();
      await deleted(account, at(0));
      const restore = store().unitOfWork.run(async (scope) => {
        await scope.accounts.update(account.id, { deletedAt: null }, at(1));
        await sleep(100);
      });
      await sleep(20);
      const erasure = erase(account.id, at(DAY));
      await restore;
      expect(await erasure).toBeNull();
      expect(await store().accounts.findById(account.id)).toMatchObject({ id: account.id, deletedAt: null });
    });

    it('forgetPublished deletes the published events of one key only; pending ones and other keys stay', async () => {
      const relay = store().relayStore;
      if (relay === undefined) return;
      const account = aUserAccount();
      const other = aUserAccount();
      await insert(account);
      const published = anOutboxEvent({ key: account.id });
      const otherKey = anOutboxEvent({ key: other.id });
      await store().unitOfWork.run((scope) => scope.outbox.append([published, otherKey]));
      await relay.processBatch(100, async (events) => ({ published: events.map((e) => e.id), failed: [] }));
      const pending = anOutboxEvent({ key: account.id });
      await store().unitOfWork.run((scope) => scope.outbox.append([pending]));
      expect(await store().unitOfWork.run((scope) => scope.outbox.forgetPublished(account.id))).toBe(1);
      expect((await peekPending(relay, [account.id])).map((e) => e.id)).toEqual([pending.id]);
      // Nothing published is left for the key: a second call finds none; the other key's event is still there to prune.
      expect(await store().unitOfWork.run((scope) => scope.outbox.forgetPublished(account.id))).toBe(0);
      expect(await store().unitOfWork.run((scope) => scope.outbox.forgetPublished(other.id))).toBe(1);
    });
  });
}
