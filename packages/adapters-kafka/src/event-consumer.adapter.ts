import type { Consumer, KafkaMessage } from 'kafkajs';
import { createKafkaClient, type KafkaConnectionOptions } from './kafka-client.factory.js';

/** One consumed event, decoded for display: the CloudEvents headers that identify it, and the value as text. */
export interface ConsumedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

export interface ConsumeRequest extends KafkaConnectionOptions {
  topics: readonly string[];
  /** Consumer group; a fresh one (the default) reads every topic on its own. */
  groupId: string;
  /** Start at the oldest retained message instead of only new ones (for a group without committed offsets). */
  fromBeginning: boolean;
  onEvent(event: ConsumedEvent): void | Promise<void>;
}

/** Decodes a kafkajs message (buffers) into strings; array-valued headers keep their last value. */
export function decodeMessage(topic: string, partition: number, message: KafkaMessage): ConsumedEvent {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) headers[name] = value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    headers,
    value: message.value?.toString() ?? null,
  };
}

/** Subscribes and calls `onEvent` for each message, in partition order; resolves with the running consumer. */
export async function consumeEvents(request: ConsumeRequest): Promise<Consumer> {
  const consumer = createKafkaClient(request).consumer({ groupId: request.groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...request.topics], fromBeginning: request.fromBeginning });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => request.onEvent(decodeMessage(topic, partition, message)),
    });
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }
  return consumer;
}

/** One line per event for a terminal: where it is, what it is, and its JSON value. */
export function formatEventLine(event: ConsumedEvent): string {
  const where = `${event.topic}[${event.partition}]@${event.offset}`;
  return `${where} key=${event.key ?? '-'} ce_id=${event.headers.ce_id ?? '-'} ce_type=${event.headers.ce_type ?? '-'} ${event.value ?? ''}`;
}
