import type { TransactionScope, UnitOfWork } from '@authsvc/core';
import { sql, type Kysely } from 'kysely';
import { OUTBOX_CHANNEL, type Schema } from '../schema/database-schema.types.js';
import { isRetryable } from '../errors/postgres.errors.js';
import { PostgresAccountRepository } from '../accounts/postgres-account-repository.adapter.js';
import { PostgresOutboxWriter } from '../outbox/postgres-outbox-writer.adapter.js';
import { PostgresAccountTokenStore } from '../tokens/postgres-account-token-store.adapter.js';
import { PostgresMailOutboxWriter } from '../mail/postgres-mail-outbox-writer.adapter.js';
import { PostgresSecurityEventWriter } from '../security/postgres-security-event-store.adapter.js';
import { PostgresKnownDeviceStore } from '../devices/postgres-known-device-store.adapter.js';

export interface UnitOfWorkOptions {
  /** Runs of `work` at most, counting the first, when it hits a serialization failure or deadlock. Default 4. */
  maxAttempts?: number;
  /** Base of the jittered exponential pause between attempts, in ms. Default 10. */
  retryBaseMs?: number;
}

/**
 * One READ COMMITTED transaction per run. Uniqueness races are settled by the unique indexes (the loser waits for
 * the winner's commit, then gets 23505), so no stronger isolation is needed; deadlocks and serialization failures
 * (40P01, 40001) are retried a bounded number of times, since the whole transaction was rolled back.
 */
export class PostgresUnitOfWork implements UnitOfWork {
  readonly #maxAttempts: number;
  readonly #retryBaseMs: number;

  constructor(
    private readonly db: Kysely<Schema>,
    options: UnitOfWorkOptions = {},
  ) {
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.#retryBaseMs = options.retryBaseMs ?? 10;
  }

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const outbox = new PostgresOutboxWriter(trx);
          const result = await work({
            accounts: new PostgresAccountRepository(trx),
            outbox,
            tokens: new PostgresAccountTokenStore(trx),
            mail: new PostgresMailOutboxWriter(trx),
            securityEvents: new PostgresSecurityEventWriter(trx),
            devices: new PostgresKnownDeviceStore(trx),
          });
          // PostgreSQL holds a NOTIFY until the commit and drops it on rollback: relays wake only for committed events.
          if (outbox.appended > 0) await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
          return result;
        });
      } catch (error) {
        if (isRetryable(error) && attempt < this.#maxAttempts) {
          await pause(this.#retryBaseMs * 2 ** (attempt - 1));
          continue;
        }
        // Already translated by the dialect (translating-dialect.util.ts), like every failure of the database.
        throw error;
      }
    }
  }
}

/** Sleeps between half and all of `ms` (full jitter would allow 0, which makes racing retries collide again). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms / 2 + Math.random() * (ms / 2)));
}
