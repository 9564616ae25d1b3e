import type { Consumer } from 'kafkajs';
import { kafkaClient } from '@authsvc/test-support/resources';

/** One event as the consumer saw it. */
export interface SeenEvent {
  key: string;
  /** ce_time header: when the use case made the event, just before its transaction committed (epoch ms). */
  eventTime: number;
  receivedAt: number;
}

/**
 * A kafkajs consumer (its own group, from the beginning) on the run's topics for the whole bench, so no
 * group join sits inside a measurement. Scenarios read what it collected.
 */
export class EventCollector {
  readonly events: SeenEvent[] = [];
  #consumer: Consumer | undefined;
  #waiters: (() => void)[] = [];

  async start(brokers: string, topics: string[], groupId: string): Promise<void> {
    const consumer = kafkaClient(brokers, 'authsvc-bench').consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 20 });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    let joined!: () => void;
    const joinedPromise = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const receivedAt = Date.now();
        for (const message of batch.messages) {
          const ceTime = message.headers?.['ce_time']?.toString();
          this.events.push({ key: message.key?.toString() ?? '', eventTime: ceTime ? Date.parse(ceTime) : Number.NaN, receivedAt });
        }
        for (const wake of this.#waiters.splice(0)) wake();
      },
    });
    await joinedPromise;
  }

  /** Resolves when `done()` holds, checked after each batch; rejects after timeoutMs. */
  async waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the consumer did not receive the expected events in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
  }
}
