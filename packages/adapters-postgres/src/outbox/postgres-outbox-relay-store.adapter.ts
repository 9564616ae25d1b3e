import type { BatchOutcome, Clock, OutboxRelayStore, OutboxStats, PendingEvent } from '@authsvc/core';
import { sql, type Kysely } from 'kysely';
import { OUTBOX_CHANNEL, type Schema } from '../schema/database-schema.types.js';
import type { DatabaseHandle } from '../connection/database-handle.types.js';
import { claimDueEvents } from './outbox-claim.query.js';
import { inProcessClaimsOf, type InProcessClaims } from './in-process-claims.util.js';

export interface OutboxRelayStoreOptions {
  /** Time source for due-ness, published_at and stats. Default: the system clock. */
  clock?: Clock;
  /** Longest last_error kept, in characters. Default 1000. */
  maxErrorLength?: number;
}

const systemClock: Clock = { now: () => new Date() };

/** The relay side of the outbox on PostgreSQL or PGlite. */
export class PostgresOutboxRelayStore implements OutboxRelayStore {
  readonly #db: Kysely<Schema>;
  readonly #clock: Clock;
  readonly #maxErrorLength: number;
  /** Set on PGlite only; see InProcessClaims. */
  readonly #inProcess: InProcessClaims | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    options: OutboxRelayStoreOptions = {},
  ) {
    this.#db = handle.db;
    this.#clock = options.clock ?? systemClock;
    this.#maxErrorLength = options.maxErrorLength ?? 1_000;
    this.#inProcess = handle.kind === 'pglite' ? inProcessClaimsOf(handle.db) : undefined;
  }

  async processBatch(limit: number, publish: (events: readonly PendingEvent[]) => Promise<BatchOutcome>): Promise<number> {
    if (limit <= 0) return 0;
    if (this.#inProcess) return this.#processBatchInProcess(this.#inProcess, limit, publish);
    let publishFailure: { error: unknown } | undefined;
    try {
      // The claim's row locks last as long as this transaction: it stays open while `publish` runs, and the
      // outcome is written before the commit releases them. A throw or a lost connection rolls back: nothing marked.
      return await this.#db.transaction().execute(async (trx) => {
        const events = await claimDueEvents(trx, limit, this.#clock.now());
        if (events.length === 0) return 0;
        let outcome: BatchOutcome;
        try {
          outcome = await publish(events);
        } catch (error) {
          publishFailure = { error };
          throw error;
        }
        await this.#apply(trx, new Set(events.map((e) => e.id)), outcome);
        return events.length;
      });
    } catch (error) {
      // The publisher's own failure, not the rollback's that may have followed it.
      throw publishFailure ? publishFailure.error : error;
    }
  }

  /** The same claim query and outcome writes, in two short transactions, with the claim held in this process. */
  async #processBatchInProcess(
    claims: InProcessClaims,
    limit: number,
    publish: (events: readonly PendingEvent[]) => Promise<BatchOutcome>,
  ): Promise<number> {
    let held: string[] = [];
    const events = await this.#db
      .transaction()
      .execute(async (trx) => {
        const claimed = await claimDueEvents(trx, limit, this.#clock.now(), claims.held);
        // Held before the commit, so a claim queued right behind this transaction already skips them.
        held = claimed.map((e) => e.id);
        claims.hold(held);
        return claimed;
      })
      .catch((error: unknown) => {
        claims.release(held);
        throw error;
      });
    if (events.length === 0) return 0;
    const ids = events.map((e) => e.id);
    try {
      const outcome = await publish(events);
      await this.#db.transaction().execute((trx) => this.#apply(trx, new Set(ids), outcome));
      return events.length;
    } finally {
      claims.release(ids);
    }
  }

  async #apply(trx: Kysely<Schema>, claimed: ReadonlySet<string>, outcome: BatchOutcome): Promise<void> {
    const published = outcome.published.filter((id) => claimed.has(id));
    if (published.length > 0) {
      await trx.updateTable('outbox').set({ published_at: this.#clock.now() }).where('id', 'in', published).execute();
    }
    for (const failure of outcome.failed) {
      if (!claimed.has(failure.id)) continue;
      await trx
        .updateTable('outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: failure.error.slice(0, this.#maxErrorLength),
          next_attempt_at: failure.retryAt,
        }))
        .where('id', '=', failure.id)
        .execute();
    }
  }

  async stats(now: Date): Promise<OutboxStats> {
    const row = await this.#db
      .selectFrom('outbox')
      .where('published_at', 'is', null)
      .select([
        sql<number>`count(*)::int`.as('backlog'),
        sql<number>`(count(*) filter (where attempts > 0))::int`.as('failing'),
        sql<Date | null>`min(created_at)`.as('oldest'),
      ])
      .executeTakeFirstOrThrow();
    return {
      backlog: row.backlog,
      failing: row.failing,
      oldestPendingAgeMs: row.oldest === null ? null : Math.max(0, now.getTime() - new Date(row.oldest).getTime()),
    };
  }

  async prunePublished(olderThan: Date, batchSize: number): Promise<number> {
    if (batchSize <= 0) return 0;
    // A bounded DELETE: one short statement per batch, so pruning a large backlog never holds locks for long.
    const result = await this.#db
      .deleteFrom('outbox')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('published_at', 'is not', null)
          .where('published_at', '<', olderThan)
          .orderBy('published_at')
          .limit(batchSize),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async onAppended(listener: () => void): Promise<() => Promise<void>> {
    return this.handle.listen(OUTBOX_CHANNEL, () => listener());
  }
}
