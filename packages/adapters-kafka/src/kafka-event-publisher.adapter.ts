import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { EventPublisher, OutboxEvent } from '@authsvc/core';
import { createKafkaClient, type KafkaConnectionOptions } from './kafka-client.factory.js';
import { translateKafkaError } from './kafka.errors.js';
import { endEventSends, startEventSend, type EventSend } from './event-trace.util.js';

export interface KafkaEventPublisherOptions extends KafkaConnectionOptions {
  /** Retries of a failed send inside one publish. Bounded, so an outage reaches the relay, which backs off. Default 3. */
  retries?: number;
  /** gzip is built into kafkajs; snappy, lz4 and zstd need a codec package registered with kafkajs. Default gzip. */
  compression?: 'none' | 'gzip';
  /**
   * The fewest events a publish must carry to be compressed; smaller ones are sent uncompressed. Default 16: a batch
   * of one or a few events (every publish while the relay keeps up) saves a few hundred bytes by gzip and costs the
   * event loop a compression round for each (docs/PERFORMANCE.md); a backlog's batches of up to 100 are compressed.
   * Consumers read either without knowing: Kafka records the codec per record batch.
   */
  compressFromEvents?: number;
  /** Upper bound of one publish, retries included: past it the publish rejects. Default 30 s. */
  publishTimeoutMs?: number;
}

const COMPRESSION = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP } as const;

/** The codec of one publish: the configured one for a batch of at least `fromEvents` events, none for a smaller one. */
export function compressionOf(events: number, configured: CompressionTypes, fromEvents: number): CompressionTypes {
  return events >= fromEvents ? configured : CompressionTypes.None;
}

/**
 * One Kafka message per event, exactly as committed: key, JSON payload, headers (with tracing on, plus the W3C
 * `traceparent` of its send span: `headers` replaces the stored ones).
 */
export function toKafkaMessage(event: OutboxEvent, headers: Record<string, string> = event.headers): Message {
  return { key: event.key, value: JSON.stringify(event.payload), headers: { ...headers } };
}

/** Groups events by topic, keeping their order inside each topic (and so inside each key's partition). */
export function groupByTopic(events: readonly OutboxEvent[], sends?: readonly EventSend[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const [index, event] of events.entries()) {
    const messages = byTopic.get(event.topic) ?? [];
    messages.push(toKafkaMessage(event, sends?.[index]?.headers));
    byTopic.set(event.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * The event publisher port on kafkajs. The producer is idempotent with one request in flight per broker, so
 * retries neither duplicate nor reorder messages of a partition, and waits for all in-sync replicas (acks -1).
 * A publish resolves only when the broker acknowledged every message and rejects otherwise, within
 * `publishTimeoutMs`. After a failure the producer is replaced, so a broker that comes back is reconnected cleanly.
 */
export class KafkaEventPublisher implements EventPublisher {
  readonly #kafka: Kafka;
  readonly #compression: CompressionTypes;
  readonly #compressFromEvents: number;
  readonly #publishTimeoutMs: number;
  #producer: Promise<Producer> | null = null;

  constructor(options: KafkaEventPublisherOptions) {
    this.#kafka = createKafkaClient(options, options.retries ?? 3);
    this.#compression = COMPRESSION[options.compression ?? 'gzip'];
    this.#compressFromEvents = options.compressFromEvents ?? 16;
    if (!Number.isInteger(this.#compressFromEvents) || this.#compressFromEvents < 1) {
      throw new RangeError(`compressFromEvents must be a positive integer, got ${this.#compressFromEvents}`);
    }
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
  }

  /** Connects the producer now (optional: publish connects on demand). Rejects when no broker answers. */
  async connect(): Promise<void> {
    await this.#connectedProducer();
  }

  /** Waits for sends in flight, then closes the connections. */
  async disconnect(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    if (producer) await (await producer.catch(() => null))?.disconnect();
  }

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const sends = events.map(startEventSend);
    const producer = this.#connectedProducer();
    const sending = producer.then((connected) =>
      connected.sendBatch({ topicMessages: groupByTopic(events, sends), acks: -1, compression: compressionOf(events.length, this.#compression, this.#compressFromEvents) }),
    );
    try {
      await withTimeout(sending, this.#publishTimeoutMs);
      endEventSends(sends);
    } catch (error) {
      endEventSends(sends, error);
      this.#discard(producer);
      throw translateKafkaError(error);
    }
  }

  #connectedProducer(): Promise<Producer> {
    if (!this.#producer) {
      const opening = this.#openProducer();
      this.#producer = opening;
      // A failed connect must not stick: the next call tries again.
      opening.catch(() => {
        if (this.#producer === opening) this.#producer = null;
      });
    }
    return this.#producer;
  }

  async #openProducer(): Promise<Producer> {
    const producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The Java client's murmur2 partitioner: a key lands on the same partition whichever client wrote it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Drops a producer that failed; the next publish opens a fresh one. */
  #discard(producer: Promise<Producer>): void {
    if (this.#producer === producer) this.#producer = null;
    void producer.then((failed) => failed.disconnect()).catch(() => undefined);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement from Kafka within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
