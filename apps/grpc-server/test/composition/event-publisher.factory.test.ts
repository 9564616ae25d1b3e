import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openEventPublisher } from '../../src/composition/event-publisher.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { createLogger } from '../../src/logging/logger.factory.js';

describe('openEventPublisher', () => {
  // The old service could not start while Kafka was down; kafka.createTopics must not bring that back.
  it('with kafka.createTopics and no broker answering, starts anyway and says so in the log', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).trim().split('\n'));
        callback();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    const { config } = loadConfig({ env: { AUTH_KAFKA_BROKERS: '127.0.0.1:1', AUTH_KAFKA_CREATE_TOPICS: 'true' } });

    const opened = await openEventPublisher(config, logger);
    try {
      expect(opened.description).toContain('Kafka 127.0.0.1:1');
      expect(lines.join('\n')).toContain('could not create the Kafka topics');
    } finally {
      await opened.close();
    }
  }, 120_000);
});
