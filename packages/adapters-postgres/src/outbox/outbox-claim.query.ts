import { sql, type Transaction } from 'kysely';
import type { PendingEvent, EventType, AccountEventPayload } from '@authsvc/core';
import type { Schema } from '../schema/database.schema.js';

interface ClaimedRow {
  id: string;
  type: string;
  topic: string;
  key: string;
  payload: AccountEventPayload;
  headers: Record<string, string>;
  created_at: Date;
  attempts: number;
}

/**
 * Locks up to `limit` due, unpublished rows that no other transaction holds (FOR UPDATE SKIP LOCKED), oldest seq
 * first, and returns those that head their key: a row is left out when its key has an earlier unpublished row
 * outside this batch, whether that row is locked by another relay, backing off, or simply beyond the limit.
 * The NOT EXISTS reads without locking, so it sees rows other relays have claimed. Rows left out stay locked
 * (and so skipped by other relays) only until this transaction ends; they are not heads now anyway.
 */
export async function claimDueEvents(
  trx: Transaction<Schema>,
  limit: number,
  now: Date,
  heldInProcess: ReadonlySet<string> = new Set(),
): Promise<PendingEvent[]> {
  // PGlite only: rows this process has claimed in an earlier, already committed, claim (see InProcessClaims).
  const notHeld = heldInProcess.size === 0 ? sql`` : sql`and id not in (${sql.join([...heldInProcess])})`;
  const { rows } = await sql<ClaimedRow>`
    with candidates as (
      select id, key, seq from outbox
      where published_at is null and next_attempt_at <= ${now} ${notHeld}
      order by seq
      limit ${limit}
      for update skip locked
    )
    select o.id, o.type, o.topic, o.key, o.payload, o.headers, o.created_at, o.attempts
    from candidates c
    join outbox o on o.id = c.id
    where not exists (
      select 1 from outbox earlier
      where earlier.key = c.key
        and earlier.seq < c.seq
        and earlier.published_at is null
        and earlier.id not in (select id from candidates)
    )
    order by c.seq`.execute(trx);
  return rows.map((row) => ({
    id: row.id,
    type: row.type as EventType,
    topic: row.topic,
    key: row.key,
    payload: row.payload,
    headers: row.headers,
    createdAt: row.created_at,
    attempts: row.attempts,
  }));
}
