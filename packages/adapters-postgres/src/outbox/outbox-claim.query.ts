import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { PendingEvent, EventType, AccountEventPayload } from '@authsvc/core';
import type { Schema } from '../schema/database-schema.types.js';

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
 * The check for an earlier row reads without locking, so it sees rows other relays have claimed. Rows left out stay
 * locked (and so skipped by other relays) only until this transaction ends; they are not heads now anyway.
 *
 * The shape keeps PostgreSQL on index probes whatever the batch size and backlog. Written as a NOT EXISTS joined
 * back to `outbox` by id, the planner turned it, from a limit of a few hundred on a backlog of 50,000, into hash
 * joins over two sequential scans of the whole table: 83 ms per claim of 500 instead of 6 (EXPLAIN ANALYZE, docs/
 * PERFORMANCE.md). The candidates now carry every column returned (no join back), and the earlier-row check is a
 * LATERAL subquery with LIMIT 1, which PostgreSQL cannot flatten into a join: one probe of
 * `outbox_pending_key_seq_idx` per candidate. A function of its own so a test can EXPLAIN what the relay runs.
 */
export function claimDueEventsQuery(limit: number, now: Date, heldInProcess: ReadonlySet<string> = new Set()): RawBuilder<ClaimedRow> {
  // PGlite only: rows this process has claimed in an earlier, already committed, claim (see InProcessClaims).
  const notHeld = heldInProcess.size === 0 ? sql`` : sql`and id not in (${sql.join([...heldInProcess])})`;
  return sql<ClaimedRow>`
    with candidates as (
      select id, seq, type, topic, key, payload, headers, created_at, attempts from outbox
      where published_at is null and next_attempt_at <= ${now} ${notHeld}
      order by seq
      limit ${limit}
      for update skip locked
    )
    select c.id, c.type, c.topic, c.key, c.payload, c.headers, c.created_at, c.attempts
    from candidates c
    left join lateral (
      select 1 as blocked from outbox earlier
      where earlier.key = c.key
        and earlier.seq < c.seq
        and earlier.published_at is null
        and earlier.id not in (select id from candidates)
      limit 1
    ) earlier on true
    where earlier.blocked is null
    order by c.seq`;
}

/** Runs the claim (see `claimDueEventsQuery`) in the relay's transaction and returns the claimed events. */
export async function claimDueEvents(
  trx: Transaction<Schema>,
  limit: number,
  now: Date,
  heldInProcess: ReadonlySet<string> = new Set(),
): Promise<PendingEvent[]> {
  const { rows } = await claimDueEventsQuery(limit, now, heldInProcess).execute(trx);
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
