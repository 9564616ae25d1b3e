import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEvent, PendingEvent } from '@authsvc/core';
import { anOutboxEvent, eventually, gate, rejectionOf } from '@authsvc/core-testing';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import type { PostgresStores } from '../src/database/postgres-database.types.js';
import { PostgresOutboxRelayStore } from '../src/outbox/postgres-outbox-relay-store.adapter.js';
import { availableBackends, createMigratedBackend, truncateAll, type Backend } from './support/backends.support.js';
import { lastErrorOf } from './support/store-fixture.support.js';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';

const append = (stores: PostgresStores, events: readonly OutboxEvent[]) => stores.unitOfWork.run((scope) => scope.outbox.append(events));
const ids = (events: readonly { id: string }[]) => events.map((e) => e.id);

/** Drains the outbox through `relay` in batches of `limit`, publishing everything; returns the ids it published. */
async function drain(relay: PostgresOutboxRelayStore, limit: number): Promise<string[]> {
  const seen: string[] = [];
  for (let claimed = 1; claimed > 0; ) {
    claimed = await relay.processBatch(limit, async (events: readonly PendingEvent[]) => {
      seen.push(...ids(events));
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { published: ids(events), failed: [] };
    });
  }
  return seen;
}

describe.each(await availableBackends())('outbox relay on %s', (backendName) => {
  let backend: Backend;
  let handle: DatabaseHandle;
  let second: DatabaseHandle;
  let stores: PostgresStores;
  beforeAll(async () => {
    ({ backend, handle } = await createMigratedBackend(backendName));
    second = await backend.open();
    stores = createPostgresStores(handle);
  });
  beforeEach(async () => truncateAll(handle));
  afterAll(async () => backend.close());

  it('two relays (on separate pools) draining at once publish every event exactly once, in seq order each', async () => {
    const events = Array.from({ length: 60 }, (_, i) => anOutboxEvent({ createdAt: new Date(Date.now() - 60_000 + i) }));
    for (let i = 0; i < events.length; i += 6) await append(stores, events.slice(i, i + 6));
    const [a, b] = await Promise.all([drain(new PostgresOutboxRelayStore(handle), 7), drain(new PostgresOutboxRelayStore(second), 7)]);
    expect(new Set([...a, ...b]).size).toBe(60);
    expect(a.length + b.length).toBe(60);
    const order = ids(events);
    for (const seen of [a, b]) expect([...seen].sort((x, y) => order.indexOf(x) - order.indexOf(y))).toEqual(seen);
  });

  it('records attempts and a truncated last_error, and hides the event until retryAt', async () => {
    const relay = new PostgresOutboxRelayStore(handle, { maxErrorLength: 10 });
    const event = anOutboxEvent();
    await append(stores, [event]);
    const retryAt = new Date(Date.now() + 300);
    await relay.processBatch(10, async () => ({ published: [], failed: [{ id: event.id, error: 'x'.repeat(50), retryAt }] }));
    expect(await lastErrorOf(handle, event.id)).toBe('x'.repeat(10));
    expect(await relay.processBatch(10, async () => ({ published: [], failed: [] }))).toBe(0);
    let attempts: number | undefined;
    expect(
      await eventually(async () => {
        await relay.processBatch(10, async (batch) => {
          attempts = batch[0]?.attempts;
          return { published: ids(batch), failed: [] };
        });
        return attempts !== undefined;
      }),
    ).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(retryAt.getTime());
    expect(attempts).toBe(1);
  });

  it('wakes a listener on another handle only once the appending unit of work commits', async () => {
    let woken = 0;
    const unsubscribe = await createPostgresStores(second).relayStore.onAppended(() => (woken += 1));
    try {
      const release = gate();
      const inside = gate();
      const running = stores.unitOfWork.run(async (scope) => {
        await scope.outbox.append([anOutboxEvent()]);
        inside.open();
        await release.promise;
      });
      await inside.promise;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(woken).toBe(0);
      release.open();
      await running;
      expect(await eventually(() => woken > 0)).toBe(true);
    } finally {
      await unsubscribe();
    }
  });
});

describe.skipIf(!(await availableBackends()).includes('postgres'))('outbox relay on postgres: a claim whose connection dies', () => {
  let backend: Backend;
  let handle: DatabaseHandle;
  let stores: PostgresStores;
  beforeAll(async () => {
    ({ backend, handle } = await createMigratedBackend('postgres'));
    stores = createPostgresStores(handle);
  });
  afterAll(async () => backend.close());

  it('leaves its rows claimable by another relay after the server kills the claiming connection mid-publish', async () => {
    const events = [anOutboxEvent(), anOutboxEvent()];
    await append(stores, events);
    const claimed = gate();
    const killed = gate();
    const crashing = stores.relayStore.processBatch(10, async () => {
      claimed.open();
      await killed.promise;
      return { published: ids(events), failed: [] };
    });
    await claimed.promise;
    const other = await backend.open();
    // The claim transaction is the only one idle in a transaction in this database while publish runs.
    const { rows } = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and state = 'idle in transaction' and pid <> pg_backend_pid()`.execute(other.db);
    expect(rows[0]?.n).toBe(1);
    killed.open();
    expect(await rejectionOf(crashing)).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    const again: string[] = [];
    await createPostgresStores(other).relayStore.processBatch(10, async (batch) => {
      again.push(...ids(batch));
      return { published: ids(batch), failed: [] };
    });
    expect(again).toEqual(ids(events));
  });
});
