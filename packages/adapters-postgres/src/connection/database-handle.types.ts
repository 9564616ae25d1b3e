import type { Kysely } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';

/** A database the repositories run on: a PostgreSQL server pool or an embedded PGlite, behind one shape. */
export interface DatabaseHandle {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Kysely<Schema>;
  /** Calls `listener` on every NOTIFY on `channel` (best effort); resolves once listening, to an unsubscribe function. */
  listen(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>>;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}
