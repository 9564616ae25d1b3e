import { sql } from 'kysely';
import type { ContractFixture } from '@authsvc/core-testing';
import type { DatabaseHandle } from '../../src/connection/database-handle.types.js';
import { createMigratedBackend, truncateAll, type Backend } from './backends.support.js';

/**
 * A contract fixture on a migrated database of `backendName`, created on first use and emptied before each test.
 * `make` builds the implementation under test on the handle.
 */
export function storeFixture<T>(backendName: Backend['name'], make: (handle: DatabaseHandle) => T): ContractFixture<T> {
  let opened: Promise<{ backend: Backend; handle: DatabaseHandle }> | undefined;
  const open = () => (opened ??= createMigratedBackend(backendName));
  return {
    create: async () => make((await open()).handle),
    reset: async () => truncateAll((await open()).handle),
    close: async () => {
      if (opened) await (await opened).backend.close();
      opened = undefined;
    },
  };
}

/** The stored last_error of an outbox row (not part of any port; the outbox contract checks it when given). */
export async function lastErrorOf(handle: DatabaseHandle, eventId: string): Promise<string | null | undefined> {
  const row = await handle.db.selectFrom('outbox').select('last_error').where('id', '=', sql<string>`${eventId}::uuid`).executeTakeFirst();
  return row?.last_error;
}
