import { describe, expect, it } from 'vitest';
import type { MailBatchOutcome, OutgoingMail, PendingMail } from '@authsvc/core';
import { aUserAccount, gate, testUuidV7 } from '@authsvc/core/fixtures';
import type { ContractFixture } from './contract-fixture.types.js';
import type { TokenAndMailStore } from './store-fixtures.support.js';
import { useFixture } from './contract-hooks.support.js';

const NOTHING: MailBatchOutcome = { sent: [], failed: [], abandoned: [] };

/** The mail outbox contract: MailOutboxWriter inside a unit of work, and the delivery side (MailOutboxStore). Assumes reset empties it. */
export function mailOutboxContract(name: string, fixture: ContractFixture<TokenAndMailStore>): void {
  describe(`${name}: mail outbox contract`, () => {
    const store = useFixture(fixture);
    let clockMs = new Date('2026-04-01T08:00:00.000Z').getTime();
    const at = (offsetMs = 0) => new Date(clockMs + offsetMs);

    async function aMail(overrides: Partial<OutgoingMail> = {}): Promise<OutgoingMail> {
      const account = aUserAccount();
      await store().unitOfWork.run((scope) => scope.accounts.insert(account));
      clockMs += 1_000;
      return {
        id: testUuidV7(at()),
        kind: 'reset-password',
        to: account.email,
        accountId: account.id,
        username: account.username,
        sealedToken: 'v1.sealed-token-text',
        newEmail: null,
        createdAt: at(),
        ...overrides,
      };
    }
    const enqueue = (...mails: OutgoingMail[]) => store().unitOfWork.run((scope) => scope.mail.enqueue(mails));
    async function claim(limit: number, now: Date, outcome: (mails: readonly PendingMail[]) => MailBatchOutcome = () => NOTHING): Promise<PendingMail[]> {
      let seen: readonly PendingMail[] = [];
      await store().mailStore.processBatch(limit, async (mails) => {
        seen = mails;
        return outcome(mails);
      }, now);
      return [...seen];
    }

    it('hands out a committed mail with every field intact, 0 attempts, oldest first', async () => {
      const first = await aMail();
      const second = await aMail({ kind: 'email-change-notice', sealedToken: null, newEmail: 'new@example.com' });
      await enqueue(first);
      await enqueue(second);
      expect(await claim(10, at(1))).toEqual([
        { ...first, attempts: 0, rejections: 0 },
        { ...second, attempts: 0, rejections: 0 },
      ]);
    });

    it('a new-device mail keeps the device it reports', async () => {
      const mail = await aMail({ kind: 'new-device', sealedToken: null, device: { userAgent: 'Player/2.0 (iOS 18)', clientAddress: '2001:db8::7' } });
      const unknown = await aMail({ kind: 'new-device', sealedToken: null, device: { userAgent: null, clientAddress: null } });
      await enqueue(mail, unknown);
      expect(await claim(10, at(1))).toEqual([
        { ...mail, attempts: 0, rejections: 0 },
        { ...unknown, attempts: 0, rejections: 0 },
      ]);
    });

    it('never hands out the mail of a unit of work that rolled back', async () => {
      const mail = await aMail();
      await expect(
        store().unitOfWork.run(async (scope) => {
          await scope.mail.enqueue([mail]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await claim(10, at(1))).toEqual([]);
    });

    it('erasing a deleted account deletes its mail, pending or not, and no other', async () => {
      const mine = await aMail();
      const theirs = await aMail();
      await store().unitOfWork.run((scope) => scope.mail.enqueue([mine, theirs]));
      await store().unitOfWork.run(async (scope) => {
        await scope.accounts.update(mine.accountId, { deletedAt: at(0) }, at(0));
        expect(await scope.accounts.erase(mine.accountId, at(0), at(0))).not.toBeNull();
      });
      expect((await claim(10, at(1))).map((m) => m.id)).toEqual([theirs.id]);
      expect((await store().mailStore.list(100)).map((m) => m.id)).not.toContain(mine.id);
    });

    it('a sent mail is never handed out again', async () => {
      const mail = await aMail();
      await enqueue(mail);
      await claim(10, at(1), () => ({ ...NOTHING, sent: [mail.id] }));
      expect(await claim(10, at(2))).toEqual([]);
      expect(await store().mailStore.stats(at(2))).toMatchObject({ pending: 0, failing: 0, abandoned: 0 });
    });

    it('a failed mail comes back at its retry time with its attempts and rejections counted', async () => {
      const mail = await aMail();
      await enqueue(mail);
      await claim(10, at(1), () => ({ ...NOTHING, failed: [{ id: mail.id, error: '421 try later', retryAt: at(60_000), rejected: false }] }));
      expect(await claim(10, at(59_000))).toEqual([]);
      await claim(10, at(60_000), () => ({ ...NOTHING, failed: [{ id: mail.id, error: '550 no', retryAt: at(120_000), rejected: true }] }));
      expect(await claim(10, at(120_000))).toMatchObject([{ id: mail.id, attempts: 2, rejections: 1 }]);
      expect(await store().mailStore.stats(at(120_000))).toMatchObject({ pending: 1, failing: 1 });
    });

    it('an abandoned mail is never handed out again and shows in the listing with its error, without its token', async () => {
      const mail = await aMail();
      const pending = await aMail();
      await enqueue(mail, pending);
      await claim(1, at(1), () => ({ ...NOTHING, abandoned: [{ id: mail.id, error: '550 mailbox unavailable' }] }));
      expect((await claim(10, at(2))).map((m) => m.id)).toEqual([pending.id]);
      const listing = await store().mailStore.list(10);
      expect(listing.map((entry) => [entry.id, entry.state])).toEqual([
        [pending.id, 'pending'],
        [mail.id, 'abandoned'],
      ]);
      expect(listing[1]).toMatchObject({ attempts: 1, lastError: '550 mailbox unavailable', kind: 'reset-password', to: mail.to });
      expect(JSON.stringify(listing)).not.toContain('sealed-token');
      expect(await store().mailStore.stats(at(2))).toMatchObject({ pending: 1, abandoned: 1 });
    });

    it('a batch that throws marks nothing: every mail stays claimable', async () => {
      const mail = await aMail();
      await enqueue(mail);
      await expect(store().mailStore.processBatch(10, async () => Promise.reject(new Error('worker died')), at(1))).rejects.toThrow('worker died');
      expect(await claim(10, at(2))).toMatchObject([{ id: mail.id, attempts: 0 }]);
    });

    it.skipIf(fixture.oneTransactionAtATime === true)('a claimed mail is not handed to a second worker meanwhile', async () => {
      const mail = await aMail();
      await enqueue(mail);
      const claimed = gate();
      const release = gate();
      const first = store().mailStore.processBatch(10, async () => {
        claimed.open();
        await release.promise;
        return { ...NOTHING, sent: [mail.id] };
      }, at(1));
      await claimed.promise;
      expect(await claim(10, at(1))).toEqual([]);
      release.open();
      expect(await first).toBe(1);
    });

    it('prunes only mails sent before the cut-off', async () => {
      const old = await aMail();
      const open = await aMail();
      await enqueue(old, open);
      await claim(1, at(1), () => ({ ...NOTHING, sent: [old.id] }));
      // Sent "now" by the store's clock: a cut-off in the far future covers it, one in the past does not.
      expect(await store().mailStore.pruneSent(new Date('2000-01-01T00:00:00Z'), 100)).toBe(0);
      expect(await store().mailStore.pruneSent(new Date('2999-01-01T00:00:00Z'), 100)).toBe(1);
      expect((await claim(10, at(2))).map((m) => m.id)).toEqual([open.id]);
    });
  });
}
