import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@authsvc/test-support';
import { anOutboxEvent } from '@authsvc/core-testing';
import { isDomainError } from '@authsvc/core';
import { CompressionTypes } from 'kafkajs';
import { compressionOf, groupByTopic, KafkaEventPublisher, toKafkaMessage } from '../src/index.js';

describe('KafkaEventPublisher without a broker', () => {
  let closedPort: number;
  let silent: Server;
  let silentPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // A port nobody listens on (connection refused), and one that accepts but never answers (a hung broker).
    closedPort = await freePort();
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('maps an event to one message: key, the payload as JSON, and the committed headers unchanged', () => {
    const event = anOutboxEvent();
    expect(toKafkaMessage(event)).toEqual({ key: event.key, value: JSON.stringify(event.payload), headers: event.headers });
  });

  it('groups a batch by topic and keeps the array order inside each topic', () => {
    const [a, b, c, d] = [
      anOutboxEvent({ topic: 't1' }),
      anOutboxEvent({ topic: 't2' }),
      anOutboxEvent({ topic: 't1' }),
      anOutboxEvent({ topic: 't2' }),
    ];
    const groups = groupByTopic([a!, b!, c!, d!]);
    expect(groups.map((group) => [group.topic, group.messages.map((message) => message.key)])).toEqual([
      ['t1', [a!.key, c!.key]],
      ['t2', [b!.key, d!.key]],
    ]);
  });

  it('compresses a batch of at least compressFromEvents events and sends a smaller one as it is', () => {
    expect(compressionOf(1, CompressionTypes.GZIP, 16)).toBe(CompressionTypes.None);
    expect(compressionOf(15, CompressionTypes.GZIP, 16)).toBe(CompressionTypes.None);
    expect(compressionOf(16, CompressionTypes.GZIP, 16)).toBe(CompressionTypes.GZIP);
    expect(compressionOf(100, CompressionTypes.None, 16)).toBe(CompressionTypes.None);
    expect(compressionOf(1, CompressionTypes.GZIP, 1)).toBe(CompressionTypes.GZIP);
  });

  it('refuses a compressFromEvents that is not a positive integer', () => {
    for (const compressFromEvents of [0, -1, 1.5]) {
      expect(() => new KafkaEventPublisher({ brokers: [`127.0.0.1:${closedPort}`], logLevel: 'nothing', compressFromEvents })).toThrow(RangeError);
    }
  });

  it('resolves an empty publish without contacting any broker', async () => {
    const publisher = new KafkaEventPublisher({ brokers: [`127.0.0.1:${closedPort}`], logLevel: 'nothing' });
    await expect(publisher.publish([])).resolves.toBeUndefined();
  });

  it('rejects with DEPENDENCY_UNAVAILABLE, in bounded time, when no broker is reachable', async () => {
    const publisher = new KafkaEventPublisher({ brokers: [`127.0.0.1:${closedPort}`], logLevel: 'nothing', retries: 1, publishTimeoutMs: 5_000 });
    const began = performance.now();
    const error = await publisher.publish([anOutboxEvent()]).catch((e: unknown) => e);
    expect(isDomainError(error, 'DEPENDENCY_UNAVAILABLE')).toBe(true);
    expect(performance.now() - began).toBeLessThan(6_000);
    await publisher.disconnect();
  });

  it('rejects after publishTimeoutMs when the broker accepts connections but never answers', async () => {
    const publisher = new KafkaEventPublisher({
      brokers: [`127.0.0.1:${silentPort}`],
      logLevel: 'nothing',
      requestTimeoutMs: 60_000,
      connectionTimeoutMs: 60_000,
      publishTimeoutMs: 1_000,
    });
    const began = performance.now();
    const error = await publisher.publish([anOutboxEvent()]).catch((e: unknown) => e);
    expect(isDomainError(error, 'DEPENDENCY_UNAVAILABLE')).toBe(true);
    expect(performance.now() - began).toBeLessThan(3_000);
  });
});
