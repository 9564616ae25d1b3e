import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaClient, type KafkaLogLine } from '../src/index.js';
import { connectionTo, locateKafka } from './support/kafka-test-env.support.js';

const kafka = await locateKafka();

describe.skipIf(!kafka)('the kafkajs client this package builds (real broker)', () => {
  const brokers = kafka?.url ?? '';
  afterAll(async () => {
    await kafka?.stop();
  });

  it('leaves no timer spinning on an idle connection: no negative delay, so no TimeoutNegativeWarning on Node 24', async () => {
    const admin = createKafkaClient(connectionTo(brokers)).admin();
    await admin.connect();
    const realSetTimeout = globalThis.setTimeout;
    let negative = 0;
    let scheduled = 0;
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      scheduled += 1;
      if (typeof ms === 'number' && ms < 0) negative += 1;
      return realSetTimeout(callback, ms);
    }) as typeof setTimeout;
    try {
      await admin.listTopics();
      await new Promise((resolve) => realSetTimeout(resolve, 1_000));
    } finally {
      globalThis.setTimeout = realSetTimeout;
      await admin.disconnect();
    }
    // kafkajs 2.2.4 as published: about 780 timers a second, every one with a negative delay.
    expect(negative).toBe(0);
    expect(scheduled).toBeLessThan(50);
  });

  it('hands kafkajs\'s lines to the sink given, in one shape, without stacks', async () => {
    const lines: KafkaLogLine[] = [];
    // Nothing listens on port 1: the connection is refused at once and kafkajs logs it.
    const admin = createKafkaClient({ brokers: ['127.0.0.1:1'], connectionTimeoutMs: 500, logLevel: 'error', log: (line) => lines.push(line) }, 0).admin();
    await expect(admin.connect()).rejects.toThrow();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.level).toBe('error');
      expect(typeof line.namespace).toBe('string');
      expect(typeof line.message).toBe('string');
      expect(line.fields).not.toHaveProperty('stack');
      expect(line.fields).not.toHaveProperty('timestamp');
    }
    expect(lines.some((line) => line.message.includes('ECONNREFUSED'))).toBe(true);
  });
});
