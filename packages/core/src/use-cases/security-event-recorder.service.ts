import { createHmac } from 'node:crypto';
import type { SecurityEvent, SecurityEventType } from '../domain/security-event.model.js';
import { SECURITY_EVENT_SCHEMA_VERSION, securityEventToJson } from '../domain/security-event.model.js';
import type { OutboxEvent } from '../domain/account-event.model.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { cleanUserAgent } from '../validation/field.rules.js';

/** What a use case says about a security event; the recorder adds the id, the time and the call's client. */
export interface SecurityEventInput {
  type: SecurityEventType;
  accountId?: string | null;
  sessionId?: string | null;
  reason?: string | null;
  loginHash?: string | null;
  sessionCount?: number | null;
}

/** Where the call came from (CallOptions' fields). */
export interface EventClient {
  clientAddress?: string | undefined;
  userAgent?: string | undefined;
}

export interface SecurityEventRecorderOptions {
  /** Kafka topic of every security event. */
  topic: string;
  /** CloudEvents `source`. */
  eventSource: string;
  /** Key of the keyed hash of login names (derived from the refresh-token secret). */
  loginHashKey: Uint8Array;
  /** Events waiting for the database at most; beyond it the oldest are dropped (counted). Default 100,000. */
  maxQueued?: number;
  /** Longest pause between retries of a failed write, in ms. Default 5 s. */
  maxRetryMs?: number;
  /** Called once per event as it is recorded (metrics); must not throw. */
  onRecorded?: (event: SecurityEvent) => void;
  /** Called when events are dropped because the queue is full (metrics, a log line). */
  onDropped?: (count: number) => void;
}

const BATCH = 100;

/**
 * Writes security events to the audit trail and the outbox (topic `auth.security`), keyed by account id so one
 * account's events keep their order. `recordIn` writes them in the unit of work of the change they report; `record`
 * is for changes that live only in Redis (a logout, a reuse, a failed login): the events are queued in process and
 * written right after, in batches, retried until the database takes them (at least once), so the caller never waits
 * for a database round trip. A process that dies before the write loses what is queued (decision 0009).
 */
export class SecurityEventRecorder {
  readonly #queue: SecurityEvent[] = [];
  #draining: Promise<void> | null = null;
  #dropped = 0;

  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'ids' | 'clock'>,
    private readonly options: SecurityEventRecorderOptions,
  ) {}

  /** A keyed hash of a login name (as normalised for lookup): correlates attacks on one name without storing it. */
  loginHash(normalizedName: string): string {
    return createHmac('sha256', this.options.loginHashKey).update(normalizedName, 'utf8').digest('base64url').slice(0, 32);
  }

  /** Builds the event of `input` at `now`, from the call's client. */
  build(input: SecurityEventInput, client: EventClient, now: Date): SecurityEvent {
    const event: SecurityEvent = {
      id: this.deps.ids.uuid(),
      type: input.type,
      occurredAt: now,
      accountId: input.accountId ?? null,
      sessionId: input.sessionId ?? null,
      clientAddress: client.clientAddress ?? null,
      userAgent: cleanUserAgent(client.userAgent),
      reason: input.reason ?? null,
      loginHash: input.loginHash ?? null,
      sessionCount: input.sessionCount ?? null,
    };
    try {
      this.options.onRecorded?.(event);
    } catch {
      // metrics never fail a call
    }
    return event;
  }

  /** Writes the events in the caller's unit of work: the audit rows and their outbox rows commit with the change. */
  async recordIn(scope: TransactionScope, events: readonly SecurityEvent[]): Promise<void> {
    if (events.length === 0) return;
    await scope.securityEvents.append(events);
    await scope.outbox.append(events.map((event) => this.toOutbox(event)));
  }

  /** Queues events of a change that lives outside the database; written right after, retried until written. */
  record(inputs: readonly SecurityEventInput[], client: EventClient): void {
    const now = this.deps.clock.now();
    for (const input of inputs) this.#queue.push(this.build(input, client, now));
    const max = this.options.maxQueued ?? 100_000;
    if (this.#queue.length > max) {
      const excess = this.#queue.length - max;
      this.#queue.splice(0, excess);
      this.#dropped += excess;
      this.options.onDropped?.(excess);
    }
    this.#draining ??= this.#drain().finally(() => (this.#draining = null));
  }

  /** Resolves once every queued event is written (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#draining !== null) await this.#draining;
  }

  /** Events waiting for the database. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Events dropped because the queue was full, since start. */
  get dropped(): number {
    return this.#dropped;
  }

  toOutbox(event: SecurityEvent): OutboxEvent {
    const key = event.accountId ?? `login:${event.loginHash ?? 'unknown'}`;
    return {
      id: event.id,
      type: event.type,
      topic: this.options.topic,
      key,
      payload: { schema_version: SECURITY_EVENT_SCHEMA_VERSION, event: securityEventToJson(event) },
      headers: {
        ce_specversion: '1.0',
        ce_id: event.id,
        ce_type: event.type,
        ce_source: this.options.eventSource,
        ce_time: event.occurredAt.toISOString(),
        ce_subject: key,
        'content-type': 'application/json',
      },
      createdAt: event.occurredAt,
    };
  }

  async #drain(): Promise<void> {
    let failures = 0;
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, BATCH);
      try {
        await this.deps.unitOfWork.run((scope) => this.recordIn(scope, batch));
        // Only what was written leaves the queue (the queue may have been trimmed meanwhile: drop by identity).
        const written = new Set(batch);
        let i = 0;
        while (i < this.#queue.length && written.has(this.#queue[i]!)) i += 1;
        this.#queue.splice(0, i);
        failures = 0;
      } catch {
        failures += 1;
        const pauseMs = Math.min(this.options.maxRetryMs ?? 5_000, 50 * 2 ** Math.min(failures, 10));
        await new Promise<void>((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }
}
