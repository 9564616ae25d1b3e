import type { Kysely } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';
import type { FailingEvent } from '../database/postgres-database.types.js';

/**
 * The failing rows (attempted, not yet published), oldest first: an operator's read-only query. The relay store
 * port has no such listing because the relay never needs one.
 */
export async function failingEvents(db: Kysely<Schema>, limit: number): Promise<FailingEvent[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'type', 'topic', 'key', 'attempts', 'last_error', 'next_attempt_at', 'created_at'])
    .where('published_at', 'is', null)
    .where('attempts', '>', 0)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    topic: r.topic,
    key: r.key,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: new Date(r.next_attempt_at),
    createdAt: new Date(r.created_at),
  }));
}
