import type { SecurityEvent, SecurityEventQuery, SecurityEventStore, SecurityEventType, SecurityEventWriter } from '@authsvc/core';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Schema, SecurityEventsTable } from '../schema/database-schema.types.js';

/** Appends audit rows inside the unit of work's transaction. */
export class PostgresSecurityEventWriter implements SecurityEventWriter {
  constructor(private readonly trx: Transaction<Schema>) {}

  async append(events: readonly SecurityEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.trx
      .insertInto('security_events')
      .values(
        events.map((event) => ({
          id: event.id,
          type: event.type,
          occurred_at: event.occurredAt,
          account_id: event.accountId,
          session_id: event.sessionId,
          client_address: event.clientAddress,
          user_agent: event.userAgent,
          reason: event.reason,
          login_hash: event.loginHash,
          session_count: event.sessionCount,
        })),
      )
      .execute();
  }

  async anonymize(accountId: string, loginHashes: readonly string[]): Promise<void> {
    const scrubbed = { client_address: null, user_agent: null, session_id: null, login_hash: null };
    await this.trx.updateTable('security_events').set(scrubbed).where('account_id', '=', accountId).execute();
    if (loginHashes.length > 0) await this.trx.updateTable('security_events').set(scrubbed).where('login_hash', 'in', [...loginHashes]).execute();
  }
}

const fromRow = (row: Selectable<SecurityEventsTable>): SecurityEvent => ({
  id: row.id,
  type: row.type as SecurityEventType,
  occurredAt: new Date(row.occurred_at),
  accountId: row.account_id,
  sessionId: row.session_id,
  clientAddress: row.client_address,
  userAgent: row.user_agent,
  reason: row.reason,
  loginHash: row.login_hash,
  sessionCount: row.session_count,
});

/** The audit trail's reads (keyset pages on security_events_account_time_idx) and its pruning. */
export class PostgresSecurityEventStore implements SecurityEventStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async list(query: SecurityEventQuery): Promise<SecurityEvent[]> {
    let select = this.db.selectFrom('security_events').selectAll().where('account_id', '=', query.accountId);
    if (query.types && query.types.length > 0) select = select.where('type', 'in', [...query.types]);
    if (query.since) select = select.where('occurred_at', '>=', query.since);
    if (query.until) select = select.where('occurred_at', '<', query.until);
    if (query.after) {
      // A row comparison: strictly after the cursor in (occurred_at, id) descending order, served by the index.
      select = select.where(sql<boolean>`(occurred_at, id) < (${query.after.occurredAt}, ${query.after.id}::uuid)`);
    }
    const rows = await select.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(fromRow);
  }

  async prune(olderThan: Date, batchSize: number): Promise<number> {
    if (batchSize <= 0) return 0;
    // Bounded, like the outbox's pruning: one short statement per batch.
    const result = await this.db
      .deleteFrom('security_events')
      .where('id', 'in', (eb) => eb.selectFrom('security_events').select('id').where('occurred_at', '<', olderThan).orderBy('occurred_at').limit(batchSize))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
