import { describe, expect, it } from 'vitest';
import type { AccountStore } from './store-fixtures.support.js';
import { aUserAccount, anArtistAccount } from '@authsvc/core/fixtures';
import { positionOf, searchOrderOf, type Account, type AccountQuery } from '@authsvc/core';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (iso: string): Date => new Date(iso);

/** AccountReader.search: every filter, the order each filter picks, and keyset positions; part of accountStoreContract. */
export function describeAccountSearch(store: () => AccountStore): void {
  const insert = (...accounts: Account[]) =>
    store().unitOfWork.run(async (scope) => {
      for (const account of accounts) await scope.accounts.insert(account);
    });
  const search = async (query: Partial<AccountQuery>, limit = 100) => (await store().accounts.search({ now: NOW, ...query }, limit)).map((a) => a.username);

  describe('search', () => {
    it('matches a username prefix in any letter case, ordered by the username in byte order, and nothing outside the prefix', async () => {
      await insert(
        aUserAccount({ username: 'Ab_two' }),
        aUserAccount({ username: 'ab' }),
        aUserAccount({ username: 'AB-one' }),
        aUserAccount({ username: 'ac' }),
        aUserAccount({ username: 'aa' }),
        anArtistAccount({ username: 'abz' }),
      );
      expect(await search({ usernamePrefix: 'ab' })).toEqual(['ab', 'AB-one', 'Ab_two', 'abz']);
      expect(await search({ usernamePrefix: 'ab' }, 2)).toEqual(['ab', 'AB-one']);
      expect(await search({ usernamePrefix: 'abq' })).toEqual([]);
    });

    it('pages by position: a username position continues strictly after it', async () => {
      await insert(...['k1', 'k2', 'k3', 'k4', 'k5'].map((username) => aUserAccount({ username })));
      expect(await search({ usernamePrefix: 'k', after: { order: 'username', username: 'k2' } }, 2)).toEqual(['k3', 'k4']);
      expect(await search({ usernamePrefix: 'k', after: { order: 'username', username: 'k5' } })).toEqual([]);
    });

    it('matches an email prefix in any letter case, non-ASCII included, ordered by the email', async () => {
      await insert(
        aUserAccount({ username: 'e2', email: 'Zoë.B@example.com' }),
        aUserAccount({ username: 'e1', email: 'zoë.a@example.com' }),
        aUserAccount({ username: 'e3', email: 'zoe@example.com' }),
        aUserAccount({ username: 'e4', email: 'zoëz@example.org' }),
      );
      expect(await search({ emailPrefix: 'zoë.' })).toEqual(['e1', 'e2']);
      expect(await search({ emailPrefix: 'zo' })).toEqual(['e3', 'e1', 'e2', 'e4']);
      expect(await search({ emailPrefix: 'zo', after: { order: 'email', email: 'zoë.a@example.com' } })).toEqual(['e2', 'e4']);
    });

    it('filters by kind, role and creation range (from inclusive, before exclusive), ordered by creation time then id', async () => {
      await insert(
        aUserAccount({ username: 'u1', createdAt: at('2026-01-01T00:00:00Z') }),
        anArtistAccount({ username: 'a1', createdAt: at('2026-01-02T00:00:00Z') }),
        aUserAccount({ username: 'adm', role: 'ADMIN', createdAt: at('2026-01-03T00:00:00Z') }),
        aUserAccount({ username: 'u2', createdAt: at('2026-01-04T00:00:00Z') }),
      );
      expect(await search({})).toEqual(['u1', 'a1', 'adm', 'u2']);
      expect(await search({ kind: 'user' })).toEqual(['u1', 'adm', 'u2']);
      expect(await search({ kind: 'artist' })).toEqual(['a1']);
      expect(await search({ role: 'ADMIN' })).toEqual(['adm']);
      expect(await search({ createdFrom: at('2026-01-02T00:00:00Z'), createdBefore: at('2026-01-04T00:00:00Z') })).toEqual(['a1', 'adm']);
    });

    it('breaks a tie of creation time by id, so a position inside the tie loses and repeats nothing', async () => {
      const same = at('2026-02-02T02:02:02.002Z');
      const accounts = [1, 2, 3, 4].map((n) => aUserAccount({ username: `t${n}`, createdAt: same }));
      await insert(...accounts);
      const byId = [...accounts].sort((a, b) => (a.id < b.id ? -1 : 1)).map((a) => a.username);
      expect(await search({})).toEqual(byId);
      const second = accounts.find((a) => a.username === byId[1])!;
      expect(await search({ after: positionOf(second, searchOrderOf({})) })).toEqual(byId.slice(2));
    });

    it('filters by being disabled now: a disable whose until has passed counts as enabled', async () => {
      const since = at('2026-05-01T00:00:00Z');
      await insert(
        aUserAccount({ username: 'open', createdAt: at('2026-01-01T00:00:00Z') }),
        aUserAccount({ username: 'forever', createdAt: at('2026-01-02T00:00:00Z'), disabled: { reason: 'spam', since, until: null } }),
        aUserAccount({ username: 'later', createdAt: at('2026-01-03T00:00:00Z'), disabled: { reason: 'spam', since, until: at('2026-07-01T00:00:00Z') } }),
        aUserAccount({ username: 'over', createdAt: at('2026-01-04T00:00:00Z'), disabled: { reason: 'spam', since, until: NOW } }),
      );
      expect(await search({ disabled: true })).toEqual(['forever', 'later']);
      expect(await search({ disabled: false })).toEqual(['open', 'over']);
    });

    it('filters by awaiting erasure (deleted) or not', async () => {
      await insert(
        aUserAccount({ username: 'kept', createdAt: at('2026-01-01T00:00:00Z') }),
        aUserAccount({ username: 'gone', createdAt: at('2026-01-02T00:00:00Z'), deletedAt: at('2026-05-01T00:00:00Z') }),
        anArtistAccount({ username: 'gone_artist', createdAt: at('2026-01-03T00:00:00Z'), deletedAt: at('2026-05-02T00:00:00Z') }),
      );
      expect(await search({ deleted: true })).toEqual(['gone', 'gone_artist']);
      expect(await search({ deleted: false })).toEqual(['kept']);
      expect(await search({ deleted: true, kind: 'artist' })).toEqual(['gone_artist']);
    });

    it('combines a username prefix with the other filters', async () => {
      await insert(aUserAccount({ username: 'mix_u' }), anArtistAccount({ username: 'mix_a' }), aUserAccount({ username: 'other_u' }));
      expect(await search({ usernamePrefix: 'mix', kind: 'user' })).toEqual(['mix_u']);
    });

    it('returns every stored field of the accounts it finds', async () => {
      const artist = anArtistAccount({ username: 'full', disabled: { reason: 'r', since: at('2026-05-05T05:05:05.005Z'), until: null } });
      await insert(artist);
      expect(await store().accounts.search({ now: NOW, usernamePrefix: 'full' }, 10)).toEqual([artist]);
    });
  });
}
