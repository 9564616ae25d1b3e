import { randomBytes } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { PublishedMessage } from '@authsvc/core-testing';
import { consumeEvents, type ConsumedEvent, type KafkaConnectionOptions } from '../../src/index.js';

/**
 * An independent reader: a kafkajs consumer in a fresh group that collects every message of its topics from the
 * beginning. Messages of one partition arrive in partition order, so the messages of one key stay in order.
 */
export class TopicReader {
  readonly received: ConsumedEvent[] = [];
  #consumer: Consumer | null = null;

  private constructor(private readonly topics: readonly string[]) {}

  static async start(connection: KafkaConnectionOptions, topics: readonly string[]): Promise<TopicReader> {
    const reader = new TopicReader(topics);
    reader.#consumer = await consumeEvents({
      ...connection,
      topics,
      groupId: `authsvc-test-reader-${randomBytes(6).toString('hex')}`,
      fromBeginning: true,
      onEvent: (event) => {
        reader.received.push(event);
      },
    });
    return reader;
  }

  /** Messages of `topic` (all topics when omitted) once at least `atLeast` arrived or `timeoutMs` passed. */
  async read(topic: string | undefined, atLeast: number, timeoutMs: number): Promise<ConsumedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    const ofTopic = () => this.received.filter((event) => topic === undefined || event.topic === topic);
    while (ofTopic().length < atLeast && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return ofTopic();
  }

  async readBack(topic: string, atLeast: number, timeoutMs: number): Promise<PublishedMessage[]> {
    if (!this.topics.includes(topic)) throw new Error(`reader does not follow ${topic}`);
    return (await this.read(topic, atLeast, timeoutMs)).map((event) => ({
      topic: event.topic,
      key: event.key ?? '',
      value: event.value ?? '',
      headers: event.headers,
    }));
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    this.#consumer = null;
  }
}
