import type { DeviceSighting, KnownDeviceStore } from '@authsvc/core';
import type { Transaction } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';

/** Known devices inside the unit of work's transaction. */
export class PostgresKnownDeviceStore implements KnownDeviceStore {
  constructor(private readonly trx: Transaction<Schema>) {}

  async remember(accountId: string, fingerprint: string, now: Date): Promise<DeviceSighting> {
    // The primary key settles two first sign-ins racing from one device: one inserts, the other waits and finds it.
    const inserted = await this.trx
      .insertInto('known_devices')
      .values({ account_id: accountId, fingerprint, first_seen_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'fingerprint']).doNothing())
      .returning('fingerprint')
      .executeTakeFirst();
    if (inserted === undefined) return 'known';
    const other = await this.trx
      .selectFrom('known_devices')
      .select('fingerprint')
      .where('account_id', '=', accountId)
      .where('fingerprint', '<>', fingerprint)
      .limit(1)
      .executeTakeFirst();
    return other === undefined ? 'first' : 'new';
  }
}
