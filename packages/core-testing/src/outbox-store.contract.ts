import { describe, expect, it } from 'vitest';
import type { ContractFixture } from './contract-fixture.types.js';
import type { OutboxStore } from './store-fixtures.support.js';
import { eventually, gate, rejectionOf, anOutboxEvent } from '@authsvc/core/fixtures';
import { useFixture } from './contract-hooks.support.js';
import { outboxHelpers } from './outbox-contract.support.js';
import { describeOutboxOrdering } from './outbox-store-ordering.contract.js';
import { describeOutboxHousekeeping } from './outbox-store-housekeeping.contract.js';

/**
 * The transactional outbox contract: OutboxWriter inside a UnitOfWork, and the relay side (OutboxRelayStore)
 * of the same store. Assumes the fixture's reset empties the outbox.
 */
export function outboxStoreContract(name: string, fixture: ContractFixture<OutboxStore>): void {
  describe(`${name}: outbox store contract`, () => {
    const store = useFixture(fixture);
    const { append, claim, publishAll, ids } = outboxHelpers(store);

    describe('visibility', () => {
      it.skipIf(fixture.oneTransactionAtATime === true)('makes appended events claimable only once their unit of work commits', async () => {
        const event = anOutboxEvent();
        const appended = gate();
        const release = gate();
        const running = store().unitOfWork.run(async (scope) => {
          await scope.outbox.append([event]);
          appended.open();
          await release.promise;
        });
        await appended.promise;
        expect(ids(await claim(100))).not.toContain(event.id);
        release.open();
        await running;
        expect(ids(await claim(100))).toEqual([event.id]);
      });

      it('never hands out events of a unit of work that rolled back', async () => {
        const event = anOutboxEvent();
        await rejectionOf(
          store().unitOfWork.run(async (scope) => {
            await scope.outbox.append([event]);
            throw new Error('abort');
          }),
        );
        expect(await claim(100)).toEqual([]);
        expect(await store().relayStore.stats(new Date())).toMatchObject({ backlog: 0 });
      });

      it('hands out every field intact (payload deep-equal, headers, createdAt to the ms) with 0 attempts', async () => {
        const event = anOutboxEvent({ type: 'artist.updated', createdAt: new Date('2026-05-06T07:08:09.012Z') });
        await append([event]);
        expect(await claim(10)).toEqual([{ ...event, attempts: 0 }]);
      });

      it('returns the number of events it claimed, and 0 when nothing is due', async () => {
        const events = [anOutboxEvent(), anOutboxEvent(), anOutboxEvent()];
        await append(events);
        expect(await store().relayStore.processBatch(2, async () => ({ published: [], failed: [] }))).toBe(2);
        expect(await store().relayStore.processBatch(10, async (batch) => publishAll(batch))).toBe(3);
        expect(await store().relayStore.processBatch(10, async (batch) => publishAll(batch))).toBe(0);
      });
    });

    describe('outcomes', () => {
      it('never claims a published event again', async () => {
        const [first, second] = [anOutboxEvent(), anOutboxEvent()];
        await append([first!, second!]);
        await claim(10, () => ({ published: [first!.id], failed: [] }));
        expect(ids(await claim(10))).toEqual([second!.id]);
      });

      it('leaves events that are in neither list of the outcome pending and unchanged', async () => {
        const events = [anOutboxEvent(), anOutboxEvent(), anOutboxEvent()];
        await append(events);
        await claim(10, () => ({ published: [events[1]!.id], failed: [] }));
        const again = await claim(10);
        expect(ids(again)).toEqual([events[0]!.id, events[2]!.id]);
        expect(again.map((event) => event.attempts)).toEqual([0, 0]);
      });

      it('leaves every claimed event claimable when the publish callback throws, and rethrows', async () => {
        const events = [anOutboxEvent(), anOutboxEvent()];
        await append(events);
        const brokerDown = new Error('broker down');
        const error = await rejectionOf(store().relayStore.processBatch(10, async () => Promise.reject(brokerDown)));
        expect(error).toBe(brokerDown);
        const again = await claim(10);
        expect(ids(again)).toEqual(ids(events));
        expect(again.map((event) => event.attempts)).toEqual([0, 0]);
      });

      it('hides a failed event until its retryAt, then hands it out again with attempts counted', async () => {
        const event = anOutboxEvent();
        await append([event]);
        const retryAt = new Date(Date.now() + 400);
        await claim(10, () => ({ published: [], failed: [{ id: event.id, error: 'broker timeout', retryAt }] }));
        expect(await claim(10)).toEqual([]);
        expect(await store().relayStore.stats(new Date())).toMatchObject({ backlog: 1, failing: 1 });
        let retried: { attempts: number }[] = [];
        const cameBack = await eventually(async () => {
          retried = await claim(10, (batch) => ({
            published: [],
            failed: batch.map((pending) => ({ id: pending.id, error: 'again', retryAt: new Date(Date.now() - 1) })),
          }));
          return retried.length > 0;
        }, 5_000, 50);
        expect(cameBack).toBe(true);
        expect(Date.now()).toBeGreaterThanOrEqual(retryAt.getTime());
        expect(retried).toEqual([{ ...event, attempts: 1 }]);
        expect(await claim(10)).toEqual([{ ...event, attempts: 2 }]);
        const lastErrorOf = store().lastErrorOf;
        if (lastErrorOf) expect(await lastErrorOf.call(store(), event.id)).toBe('again');
      });
    });

    describeOutboxOrdering(store, fixture.oneTransactionAtATime === true);
    describeOutboxHousekeeping(store);
  });
}
