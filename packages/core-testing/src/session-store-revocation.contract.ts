import { describe, expect, it } from 'vitest';
import type { SessionStore } from '@authsvc/core';
import { sessionHelpers } from './session-contract.support.js';
import { testSessionId, testUuidV7 } from '@authsvc/core/fixtures';

/** Revocation and listing; part of sessionStoreContract. */
export function describeSessionRevocation(store: () => SessionStore): void {
  const { newSession } = sessionHelpers(store);

  describe('revocation', () => {
    it('revokes a live session once, naming its account, then answers null; afterwards it is revoked and cannot rotate', async () => {
      const s = await newSession();
      expect(await store().isRevoked(s.sessionId, s.at(1))).toBe(false);
      expect(await store().revoke(s.sessionId, s.at(2))).toBe(s.accountId);
      expect(await store().revoke(s.sessionId, s.at(3))).toBeNull();
      expect(await store().isRevoked(s.sessionId, s.at(4))).toBe(true);
      expect(await store().redeem(s.sessionId, 0, s.at(5), 10_000)).toEqual({ outcome: 'invalid' });
    });

    it('answers null when revoking an unknown or an expired session', async () => {
      expect(await store().revoke(testSessionId(), new Date())).toBeNull();
      const s = await newSession();
      expect(await store().revoke(s.sessionId, s.expiresAt)).toBeNull();
    });

    it('reports an unknown session as revoked (never fails open)', async () => {
      expect(await store().isRevoked(testSessionId(), new Date())).toBe(true);
    });

    it('names the account of a live session only: not of an unknown, revoked or expired one, and changes nothing', async () => {
      const s = await newSession();
      expect(await store().accountOf(s.sessionId, s.at(1))).toBe(s.accountId);
      expect(await store().redeem(s.sessionId, 0, s.at(2), 0)).toMatchObject({ outcome: 'rotated', counter: 1 });
      expect(await store().accountOf(s.sessionId, s.expiresAt)).toBeNull();
      expect(await store().accountOf(testSessionId(), new Date())).toBeNull();
      const revoked = await newSession();
      await store().revoke(revoked.sessionId, revoked.at(1));
      expect(await store().accountOf(revoked.sessionId, revoked.at(2))).toBeNull();
    });

    it('revokes every live session of an account, counting them, and leaves other accounts alone', async () => {
      const accountId = testUuidV7();
      const mine = [await newSession({ accountId }), await newSession({ accountId }), await newSession({ accountId })];
      const other = await newSession();
      await store().revoke(mine[2]!.sessionId, mine[2]!.at(1));
      const now = mine[0]!.at(10);
      expect(await store().revokeAllForAccount(accountId, now)).toBe(2);
      for (const s of mine) expect(await store().isRevoked(s.sessionId, now)).toBe(true);
      expect(await store().isRevoked(other.sessionId, now)).toBe(false);
      expect(await store().revokeAllForAccount(accountId, now)).toBe(0);
    });

    it('keeps the excepted session when revoking the others of its account', async () => {
      const accountId = testUuidV7();
      const current = await newSession({ accountId });
      const others = [await newSession({ accountId }), await newSession({ accountId })];
      const now = current.at(10);
      expect(await store().revokeAllForAccount(accountId, now, current.sessionId)).toBe(2);
      expect(await store().isRevoked(current.sessionId, now)).toBe(false);
      for (const s of others) expect(await store().isRevoked(s.sessionId, now)).toBe(true);
      expect(await store().redeem(current.sessionId, 0, current.at(20), 0)).toMatchObject({ outcome: 'rotated' });
    });

    it('does not count expired sessions when revoking all of an account', async () => {
      const accountId = testUuidV7();
      const short = await newSession({ accountId, expiresAt: new Date(Date.now() + 60_000) });
      await newSession({ accountId });
      expect(await store().revokeAllForAccount(accountId, short.expiresAt)).toBe(1);
    });
  });

  describe('listing', () => {
    it('lists an account’s live sessions newest first, with lastUsedAt moved by a redemption only', async () => {
      const accountId = testUuidV7();
      const base = Math.floor(Date.now() / 1000) * 1000;
      const newer = await newSession({ accountId, createdAt: new Date(base + 2_000) });
      const older = await newSession({ accountId, createdAt: new Date(base) });
      const revoked = await newSession({ accountId, createdAt: new Date(base + 1_000) });
      await store().revoke(revoked.sessionId, new Date(base + 3_000));
      await store().redeem(older.sessionId, 0, new Date(base + 4_000), 0);
      await store().isRevoked(newer.sessionId, new Date(base + 4_500));
      await store().accountOf(newer.sessionId, new Date(base + 4_600));
      const listed = await store().listForAccount(accountId, new Date(base + 5_000));
      const none = { clientAddress: null, userAgent: null, deviceName: null };
      expect(listed).toEqual([
        { sessionId: newer.sessionId, accountId, createdAt: newer.createdAt, lastUsedAt: newer.createdAt, expiresAt: newer.expiresAt, ...none },
        { sessionId: older.sessionId, accountId, createdAt: older.createdAt, lastUsedAt: new Date(base + 4_000), expiresAt: older.expiresAt, ...none },
      ]);
    });

    it('keeps the device a session was started from (address, user agent, device name) and lists it; empty values are absent', async () => {
      const accountId = testUuidV7();
      const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const expiresAt = new Date(createdAt.getTime() + 3_600_000);
      const phone = { sessionId: testSessionId(), accountId, createdAt, expiresAt };
      await store().create({ ...phone, clientAddress: '2001:db8::7', userAgent: 'Player/3.1 (Android 14) “ünïcödé”', deviceName: 'Küche speaker' });
      const bare = { sessionId: testSessionId(), accountId, createdAt: new Date(createdAt.getTime() + 1), expiresAt };
      await store().create({ ...bare, clientAddress: '', userAgent: '', deviceName: '' });
      const rotated = await store().redeem(phone.sessionId, 0, new Date(createdAt.getTime() + 10), 0);
      // The redemption answers the record alone; the device is for listings.
      expect(rotated).toEqual({ outcome: 'rotated', counter: 1, session: { ...phone, lastUsedAt: new Date(createdAt.getTime() + 10) } });
      expect(await store().listForAccount(accountId, new Date(createdAt.getTime() + 20))).toEqual([
        { ...bare, lastUsedAt: bare.createdAt, clientAddress: null, userAgent: null, deviceName: null },
        { ...phone, lastUsedAt: new Date(createdAt.getTime() + 10), clientAddress: '2001:db8::7', userAgent: 'Player/3.1 (Android 14) “ünïcödé”', deviceName: 'Küche speaker' },
      ]);
    });

    it('orders sessions started in the same millisecond by session id, descending', async () => {
      const accountId = testUuidV7();
      const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const ids = [testSessionId(), testSessionId(), testSessionId()];
      for (const sessionId of ids) await store().create({ sessionId, accountId, createdAt, expiresAt: new Date(createdAt.getTime() + 60_000) });
      const listed = await store().listForAccount(accountId, new Date(createdAt.getTime() + 1));
      expect(listed.map((s) => s.sessionId)).toEqual([...ids].sort().reverse());
    });

    it('lists nothing for an account without sessions', async () => {
      expect(await store().listForAccount(testUuidV7(), new Date())).toEqual([]);
    });
  });
}
