import { randomBytes } from 'node:crypto';
import { kafkaClient } from '@authsvc/test-support/resources';

/** Reads `topic` from the beginning until `predicate` matches a message value (JSON), or times out. */
export async function waitForEvent(brokers: string, topic: string, predicate: (value: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const consumer = kafkaClient(brokers, 'authsvc-e2e').consumer({ groupId: `authsvc-e2e-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const value = JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>;
          if (value && predicate(value)) {
            clearTimeout(timer);
            resolve(value);
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

/** One message as a consumer sees it: its key and its JSON value. */
export interface ReadMessage {
  key: string;
  value: Record<string, unknown>;
}

/**
 * Reads `topic` from the beginning, collecting the messages `keep` accepts, until `done(collected)` or the timeout;
 * then goes on reading `settleMs` longer (a redelivery arriving late is collected too).
 */
export async function collectEvents(
  brokers: string,
  topic: string,
  keep: (message: ReadMessage) => boolean,
  done: (collected: ReadMessage[]) => boolean,
  timeoutMs = 60_000,
  settleMs = 0,
): Promise<ReadMessage[]> {
  const consumer = kafkaClient(brokers, 'authsvc-e2e').consumer({ groupId: `authsvc-e2e-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  const collected: ReadMessage[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${collected.length} matching events on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const read = { key: message.key?.toString('utf8') ?? '', value: JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown> };
          if (!keep(read)) return;
          collected.push(read);
          if (done(collected)) {
            clearTimeout(timer);
            setTimeout(() => resolve(collected), settleMs);
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}
