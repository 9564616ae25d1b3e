import { sql, type Kysely } from 'kysely';

// The transactional outbox. Every index here serves one query of the relay store; README "Schema" says which.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('seq', 'bigint', (col) => col.notNull().generatedAlwaysAsIdentity())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('headers', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull())
    .addColumn('published_at', 'timestamptz')
    .execute();
  // The claim scan: unpublished rows walked in seq order, stopping at the batch limit (due-ness is a filter).
  await db.schema
    .createIndex('outbox_pending_seq_idx')
    .on('outbox')
    .column('seq')
    .where(sql.ref('published_at'), 'is', null)
    .execute();
  // "Is there an earlier unpublished event with this key?" - the per-key ordering check of the claim.
  await db.schema
    .createIndex('outbox_pending_key_seq_idx')
    .on('outbox')
    .columns(['key', 'seq'])
    .where(sql.ref('published_at'), 'is', null)
    .execute();
  // Pruning of published rows older than the retention period, oldest first.
  await db.schema
    .createIndex('outbox_published_at_idx')
    .on('outbox')
    .column('published_at')
    .where(sql.ref('published_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
}
