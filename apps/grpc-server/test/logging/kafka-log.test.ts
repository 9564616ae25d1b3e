import { describe, expect, it } from 'vitest';
import { kafkaLogSink } from '../../src/composition/event-publisher.factory.js';
import { RepeatedLines } from '../../src/logging/repeated-lines.util.js';
import { capturingLogger } from '../composition/support/capturing-logger.support.js';

describe('kafkajs lines in the service log', () => {
  it('have the service\'s JSON shape (level, time, msg), with the component, namespace and fields of the line', async () => {
    const { logger, lines } = capturingLogger();
    kafkaLogSink(logger)({ level: 'error', namespace: 'Connection', message: 'Connection error: connect ECONNREFUSED 127.0.0.1:19092', fields: { broker: '127.0.0.1:19092' } });
    logger.flush();
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ level: 'error', component: 'kafka', namespace: 'Connection', broker: '127.0.0.1:19092', msg: 'Connection error: connect ECONNREFUSED 127.0.0.1:19092' });
    expect(line).toHaveProperty('time');
    expect(line).not.toHaveProperty('timestamp');
  });

  it('say an outage in one line a minute per kind of message, with the count held back, whatever the numbers in it', () => {
    const { logger, lines } = capturingLogger();
    const sink = kafkaLogSink(logger);
    // A 20 s outage as kafkajs reports it: 6 lines a second, retry delays changing in the text.
    for (let i = 0; i < 120; i += 1) sink({ level: 'error', namespace: 'Connection', message: `Connection error, retrying in ${100 + i} ms`, fields: {} });
    sink({ level: 'warn', namespace: 'BrokerPool', message: 'Failed to connect to seed broker', fields: {} });
    logger.flush();
    expect(lines).toHaveLength(2);
  });

  it('count what they held back and report it with the next line of the kind after the window', () => {
    const repeated = new RepeatedLines(1_000);
    expect(repeated.admit('a', 0)).toEqual({ log: true, heldBack: 0 });
    expect(repeated.admit('a', 10)).toEqual({ log: false });
    expect(repeated.admit('b', 20)).toEqual({ log: true, heldBack: 0 });
    expect(repeated.admit('a', 999)).toEqual({ log: false });
    expect(repeated.admit('a', 1_000)).toEqual({ log: true, heldBack: 2 });
    expect(repeated.admit('a', 1_001)).toEqual({ log: false });
  });
});
