import { describe, expect, it } from 'vitest';
import type { SecurityEvent, SecurityEventStore, SecurityEventType, UnitOfWork } from '@authsvc/core';
import { testSessionId, testUuidV7 } from '@authsvc/core/fixtures';
import type { ContractFixture } from './contract-fixture.types.js';
import { useFixture } from './contract-hooks.support.js';

/** The audit trail: its writer in a unit of work (TransactionScope.securityEvents) and its reader of the same store. */
export interface SecurityEventStoreUnderTest {
  unitOfWork: UnitOfWork;
  securityEvents: SecurityEventStore;
}

let counter = 0;
/** A security event with every field set; ids are UUID v7 of `at`, so id order follows time order within a ms too. */
function anEvent(accountId: string, at: Date, overrides: Partial<SecurityEvent> = {}): SecurityEvent {
  counter += 1;
  return {
    id: testUuidV7(),
    type: 'auth.login.succeeded',
    occurredAt: at,
    accountId,
    sessionId: testSessionId(),
    clientAddress: '2001:db8::1',
    userAgent: `Player/${counter} “ü”`,
    reason: null,
    loginHash: null,
    sessionCount: null,
    ...overrides,
  };
}

/** The audit-trail contract: writes commit with their unit of work, keyset pages newest first, filters, pruning. */
export function securityEventStoreContract(name: string, fixture: ContractFixture<SecurityEventStoreUnderTest>): void {
  describe(`${name}: security event store contract`, () => {
    const store = useFixture(fixture);
    const write = (events: SecurityEvent[]) => store().unitOfWork.run((scope) => scope.securityEvents.append(events));
    const base = Math.floor(Date.now() / 1000) * 1000;

    it('reads back every field as written, newest first, and only the account asked for', async () => {
      const accountId = testUuidV7();
      const older = anEvent(accountId, new Date(base), { type: 'auth.login.failed', reason: 'bad_credentials', loginHash: 'h'.repeat(32), sessionId: null });
      const newer = anEvent(accountId, new Date(base + 1), { type: 'auth.session.revoked', reason: 'admin', sessionCount: 3, clientAddress: null, userAgent: null });
      await write([older, newer, anEvent(testUuidV7(), new Date(base + 2))]);
      expect(await store().securityEvents.list({ accountId, limit: 10 })).toEqual([newer, older]);
    });

    it('writes nothing when its unit of work rolls back', async () => {
      const accountId = testUuidV7();
      await expect(
        store().unitOfWork.run(async (scope) => {
          await scope.securityEvents.append([anEvent(accountId, new Date(base))]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await store().securityEvents.list({ accountId, limit: 10 })).toEqual([]);
    });

    it('filters by type and by time (since included, until excluded)', async () => {
      const accountId = testUuidV7();
      const types: SecurityEventType[] = ['auth.login.succeeded', 'auth.login.failed', 'auth.password.changed', 'auth.login.failed'];
      const events = types.map((type, i) => anEvent(accountId, new Date(base + i * 1_000), { type }));
      await write(events);
      const ids = async (query: Partial<Parameters<SecurityEventStore['list']>[0]>) =>
        (await store().securityEvents.list({ accountId, limit: 100, ...query })).map((e) => e.id);
      expect(await ids({ types: ['auth.login.failed'] })).toEqual([events[3]!.id, events[1]!.id]);
      expect(await ids({ types: ['auth.login.failed', 'auth.password.changed'] })).toEqual([events[3]!.id, events[2]!.id, events[1]!.id]);
      expect(await ids({ types: [] })).toHaveLength(4);
      expect(await ids({ since: new Date(base + 1_000), until: new Date(base + 3_000) })).toEqual([events[2]!.id, events[1]!.id]);
    });

    it('pages 1,000 events by 100 from a cursor: each exactly once, newest first, ties in one millisecond by id', async () => {
      const accountId = testUuidV7();
      // Ten events per millisecond: the cursor must break ties by id.
      const events = Array.from({ length: 1_000 }, (_, i) => anEvent(accountId, new Date(base + Math.floor(i / 10))));
      for (let i = 0; i < events.length; i += 250) await write(events.slice(i, i + 250));
      const expected = [...events].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : -1)).map((e) => e.id);
      const seen: string[] = [];
      let after: { occurredAt: Date; id: string } | undefined;
      for (let page = 0; page < 11; page += 1) {
        const rows = await store().securityEvents.list({ accountId, limit: 100, ...(after ? { after } : {}) });
        if (rows.length === 0) break;
        seen.push(...rows.map((r) => r.id));
        const last = rows.at(-1)!;
        after = { occurredAt: last.occurredAt, id: last.id };
      }
      expect(seen).toHaveLength(1_000);
      expect(seen).toEqual(expected);
    }, 60_000);

    it('prunes events older than the cutoff, oldest first, at most a batch at a time', async () => {
      const accountId = testUuidV7();
      const events = Array.from({ length: 5 }, (_, i) => anEvent(accountId, new Date(base - (5 - i) * 60_000)));
      const recent = anEvent(accountId, new Date(base));
      await write([...events, recent]);
      expect(await store().securityEvents.prune(new Date(base - 1), 2)).toBe(2);
      const left = (await store().securityEvents.list({ accountId, limit: 10 })).map((e) => e.id);
      expect(left).toEqual([recent.id, events[4]!.id, events[3]!.id, events[2]!.id]);
      expect(await store().securityEvents.prune(new Date(base - 1), 100)).toBe(3);
      expect(await store().securityEvents.prune(new Date(base - 1), 100)).toBe(0);
      expect((await store().securityEvents.list({ accountId, limit: 10 })).map((e) => e.id)).toEqual([recent.id]);
    });

    it('anonymize drops client, user agent, session and login hash of the account\'s events and of failed logins by its names, and of nothing else', async () => {
      const [erased, other] = [testUuidV7(), testUuidV7()];
      const own = anEvent(erased, new Date(base), { reason: 'bad_credentials', loginHash: 'h-own' });
      const byName = anEvent(other, new Date(base), { accountId: null, type: 'auth.login.failed', loginHash: 'h-name' });
      const unrelated = anEvent(other, new Date(base + 1), { loginHash: 'h-other' });
      await write([own, byName, unrelated]);
      await store().unitOfWork.run((scope) => scope.securityEvents.anonymize(erased, ['h-name', 'h-own']));
      const [kept] = await store().securityEvents.list({ accountId: erased, limit: 10 });
      expect(kept).toEqual({ ...own, clientAddress: null, userAgent: null, sessionId: null, loginHash: null });
      expect(await store().securityEvents.list({ accountId: other, limit: 10 })).toEqual([unrelated]);
    });
  });
}
