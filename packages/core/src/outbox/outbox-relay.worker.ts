import type { Clock } from '../ports/clock.port.js';
import type { SecurityEventStore } from '../ports/security-event-store.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { BatchOutcome, OutboxRelayStore, OutboxStats, PendingEvent } from '../ports/outbox-relay-store.port.js';
import type { OutboxRelayMetrics } from './outbox-relay-metrics.types.js';
import { DEFAULT_OUTBOX_RELAY_OPTIONS, type OutboxRelayOptions } from './outbox-relay.config.js';
import { computeRetryAt } from './retry-backoff.util.js';
import { StoreOutage } from './store-outage.util.js';
import { storeRetryDelayMs } from './store-retry-delay.util.js';

export interface OutboxRelayDependencies {
  relayStore: OutboxRelayStore;
  publisher: EventPublisher;
  clock?: Clock;
  metrics?: OutboxRelayMetrics;
  /** Source of jitter in [0, 1); tests pin it. */
  random?: () => number;
  /** The audit trail of security events, pruned with the outbox (after `auditRetentionMs`); none when absent. */
  auditStore?: SecurityEventStore;
}

/** Thrown inside the claim when stop() gave up waiting for the broker: the store then marks nothing. */
class RelayStopped extends Error {
  constructor() {
    super('outbox relay stopped before the broker answered; the batch stays pending');
  }
}

/** What one round did, to decide how long to wait before the next. */
interface RoundResult {
  claimed: number;
  failed: boolean;
  retryTimesMs: number[];
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };
/** Longest error text kept per failed event: enough to diagnose, never a dump. */
const MAX_ERROR_LENGTH = 500;
const MAX_TRACKED_RETRIES = 1_000;

/**
 * Moves committed outbox events to the broker, at least once and in commit order per key. Each round claims a batch
 * through the store (which hands out only the head of each key and keeps other relays off the claimed rows, so any
 * number of instances can run at once), publishes it, and reports every event as published only after the publisher
 * resolved, i.e. after the broker acknowledged all of them. A failed publish reschedules the whole batch with
 * exponential backoff; nothing is ever dropped. Rounds are triggered by the store's commit notification, a full
 * previous batch (backlog), the earliest retry, or the poll interval, whichever comes first. While the store itself
 * fails, rounds back off (up to `storeRetryCapMs`) and the outage is reported when it starts, as a reminder, and when
 * it ends, not on every round.
 */
export class OutboxRelay {
  readonly #store: OutboxRelayStore;
  readonly #publisher: EventPublisher;
  readonly #clock: Clock;
  readonly #metrics: OutboxRelayMetrics;
  readonly #random: () => number;
  readonly #options: OutboxRelayOptions;

  #loop: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  #stopRequested = false;
  #abort = new AbortController();
  #wakePending = false;
  #endSleep: (() => void) | null = null;
  #unsubscribe: (() => Promise<void>) | null = null;
  #lastPruneMs = Number.NEGATIVE_INFINITY;
  readonly #audit: SecurityEventStore | null;
  #retryTimesMs: number[] = [];
  readonly #outage: StoreOutage;

  constructor(dependencies: OutboxRelayDependencies, options: Partial<OutboxRelayOptions> = {}) {
    this.#store = dependencies.relayStore;
    this.#publisher = dependencies.publisher;
    this.#clock = dependencies.clock ?? SYSTEM_CLOCK;
    this.#metrics = dependencies.metrics ?? {};
    this.#random = dependencies.random ?? Math.random;
    this.#audit = dependencies.auditStore ?? null;
    this.#options = { ...DEFAULT_OUTBOX_RELAY_OPTIONS, ...options };
    this.#outage = new StoreOutage(this.#options.storeOutageReminderMs);
  }

  /** True between start() and the end of stop(). */
  get running(): boolean {
    return this.#loop !== null;
  }

  /** Subscribes to commit notifications and starts the loop; the first round runs at once. Idempotent. */
  async start(): Promise<void> {
    if (this.#loop) return;
    this.#stopRequested = false;
    this.#abort = new AbortController();
    this.#wakePending = false;
    try {
      this.#unsubscribe = await this.#store.onAppended(() => this.#wake());
    } catch (error) {
      // Without notifications the relay still works, only with up to one poll interval of delay.
      this.#storeFailed(error);
    }
    this.#loop = this.#run();
  }

  /**
   * Stops the loop: the batch in flight may finish within `stopTimeoutMs`; after that it is abandoned unmarked (it is
   * published again later, by this or another instance). Resolves once the loop has exited and no claim is held, so
   * the caller may close the database pool next.
   */
  stop(): Promise<void> {
    if (!this.#loop) return Promise.resolve();
    this.#stopping ??= this.#shutdown(this.#loop);
    return this.#stopping;
  }

  /** Backlog size, oldest pending age and failing events, for metrics and health checks. */
  stats(): Promise<OutboxStats> {
    return this.#store.stats(this.#clock.now());
  }

  async #shutdown(loop: Promise<void>): Promise<void> {
    this.#stopRequested = true;
    this.#wake();
    const deadline = setTimeout(() => this.#abort.abort(), this.#options.stopTimeoutMs);
    try {
      await loop;
    } finally {
      clearTimeout(deadline);
      const unsubscribe = this.#unsubscribe;
      this.#unsubscribe = null;
      try {
        await unsubscribe?.();
      } catch (error) {
        this.#storeFailed(error);
      }
      this.#loop = null;
      this.#stopping = null;
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopRequested) {
      this.#wakePending = false;
      let waitMs = this.#options.pollIntervalMs;
      const roundStartMs = this.#clock.now().getTime();
      try {
        const round = await this.#round();
        this.#storeWorked();
        this.#noteRetries(roundStartMs, round.retryTimesMs);
        const nextRetryMs = this.#retryTimesMs[0];
        if (round.claimed >= this.#options.batchSize && !round.failed) waitMs = 0;
        else if (nextRetryMs !== undefined) {
          waitMs = Math.min(waitMs, Math.max(0, nextRetryMs - this.#clock.now().getTime()));
        }
      } catch (error) {
        if (!(error instanceof RelayStopped)) {
          this.#storeFailed(error);
          const { pollIntervalMs, storeRetryCapMs } = this.#options;
          waitMs = storeRetryDelayMs(this.#outage.failures, pollIntervalMs, storeRetryCapMs, this.#random, this.#clock.now());
        }
      }
      if (this.#stopRequested) break;
      // A store that fails its rounds would fail the prune too; it is due again once the store is back.
      if (this.#outage.failures === 0) await this.#pruneIfDue();
      if (waitMs > 0 && !this.#wakePending && !this.#stopRequested) await this.#sleep(waitMs);
    }
  }

  /**
   * Remembers when this relay's failed events become due, so a retry due before the next poll is not left waiting for
   * it. A round that started at or after a retry time has claimed (or seen another relay claim) that event already.
   */
  #noteRetries(roundStartMs: number, scheduledMs: readonly number[]): void {
    const pending = this.#retryTimesMs.filter((time) => time > roundStartMs);
    // Bounded: past that many, the poll interval covers the rest.
    this.#retryTimesMs = [...pending, ...scheduledMs].sort((a, b) => a - b).slice(0, MAX_TRACKED_RETRIES);
  }

  /** Claims, publishes and settles one batch. */
  async #round(): Promise<RoundResult> {
    const result: RoundResult = { claimed: 0, failed: false, retryTimesMs: [] };
    result.claimed = await this.#store.processBatch(this.#options.batchSize, async (events): Promise<BatchOutcome> => {
      if (events.length === 0) return { published: [], failed: [] };
      const startedMs = performance.now();
      try {
        await this.#publishUnlessStopped(events);
      } catch (error) {
        if (error instanceof RelayStopped) {
          this.#emit(() => this.#metrics.onAbandoned?.(events.length));
          throw error;
        }
        result.failed = true;
        const failed = this.#reschedule(events, error);
        result.retryTimesMs = failed.map((failure) => failure.retryAt.getTime());
        this.#emit(() => this.#metrics.onFailed?.(events.length, error));
        return { published: [], failed };
      }
      const nowMs = this.#clock.now().getTime();
      const maxAgeMs = Math.max(...events.map((event) => nowMs - event.createdAt.getTime()));
      this.#emit(() => this.#metrics.onPublished?.(events.length, performance.now() - startedMs, maxAgeMs));
      return { published: events.map((event) => event.id), failed: [] };
    });
    return result;
  }

  #reschedule(events: readonly PendingEvent[], error: unknown): BatchOutcome['failed'] {
    const now = this.#clock.now();
    const text = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR_LENGTH);
    return events.map((event) => ({
      id: event.id,
      error: text,
      retryAt: computeRetryAt(event.attempts, now, this.#options.backoff, this.#random),
    }));
  }

  /** The publish, unless stop() gives up on it first: the broker may still deliver it, which at-least-once allows. */
  #publishUnlessStopped(events: readonly PendingEvent[]): Promise<void> {
    const signal = this.#abort.signal;
    if (signal.aborted) return Promise.reject(new RelayStopped());
    // The publisher gets the events as committed, without the relay's bookkeeping.
    const publishing = this.#publisher.publish(events.map(({ attempts: _attempts, ...event }) => event));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new RelayStopped());
      signal.addEventListener('abort', onAbort, { once: true });
      publishing.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Deletes published events past the retention, a bounded number of statements per pass. */
  async #pruneIfDue(): Promise<void> {
    const nowMs = this.#clock.now().getTime();
    if (nowMs - this.#lastPruneMs < this.#options.pruneIntervalMs) return;
    this.#lastPruneMs = nowMs;
    const olderThan = new Date(nowMs - this.#options.retentionMs);
    try {
      for (let pass = 0; pass < 10 && !this.#stopRequested; pass += 1) {
        const deleted = await this.#store.prunePublished(olderThan, this.#options.pruneBatchSize);
        if (deleted > 0) this.#emit(() => this.#metrics.onPruned?.(deleted));
        if (deleted < this.#options.pruneBatchSize) break;
      }
      const auditOlderThan = new Date(nowMs - this.#options.auditRetentionMs);
      for (let pass = 0; this.#audit !== null && pass < 10 && !this.#stopRequested; pass += 1) {
        const deleted = await this.#audit.prune(auditOlderThan, this.#options.pruneBatchSize);
        if (deleted > 0) this.#emit(() => this.#metrics.onAuditPruned?.(deleted));
        if (deleted < this.#options.pruneBatchSize) break;
      }
    } catch (error) {
      this.#storeFailed(error);
    }
  }

  /** Every store failure goes to `onStoreError`; only the start of an outage and the reminders to `onStoreOutage`. */
  #storeFailed(error: unknown): void {
    this.#emit(() => this.#metrics.onStoreError?.(error));
    const report = this.#outage.failed(error, this.#clock.now().getTime());
    if (report) this.#emit(() => this.#metrics.onStoreOutage?.(report));
  }

  #storeWorked(): void {
    const report = this.#outage.succeeded(this.#clock.now().getTime());
    if (report) this.#emit(() => this.#metrics.onStoreOutage?.(report));
  }

  #wake(): void {
    this.#wakePending = true;
    this.#endSleep?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#endSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#endSleep = done;
    });
  }

  /** Metrics hooks are the caller's code: a throwing one must not stop the relay. */
  #emit(hook: () => void): void {
    try {
      hook();
    } catch {
      // ignored on purpose
    }
  }
}
