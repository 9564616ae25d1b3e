import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.factory.js';

function capture() {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => text };
}

describe('createLogger', () => {
  it('writes JSON lines with a level label', () => {
    const { logger, text } = capture();
    logger.info({ method: 'Login' }, 'rpc');
    expect(JSON.parse(text())).toMatchObject({ level: 'info', method: 'Login', msg: 'rpc', service: 'authsvc' });
  });

  it('redacts secret fields at the top level and nested, whatever the caller passes', () => {
    const { logger, text } = capture();
    logger.info(
      {
        password: 'p-top',
        request: { newPassword: 'p-new', oldPassword: 'p-old', refreshToken: 'rt-1' },
        metadata: { authorization: 'Bearer at-1' },
        config: { database: { url: 'postgres://u:db-pw@h/d' }, session: { refreshTokenSecret: 'sec-1' } },
        accessToken: 'at-2',
      },
      'careless call',
    );
    for (const secret of ['p-top', 'p-new', 'p-old', 'rt-1', 'at-1', 'db-pw', 'sec-1', 'at-2']) expect(text()).not.toContain(secret);
    expect(JSON.parse(text()).request.newPassword).toBe('[redacted]');
  });
});

describe('createLogger redaction beyond the call object', () => {
  it('redacts secrets in a child logger bindings and deeper than two levels', () => {
    const { logger, text } = capture();
    logger.child({ component: 'x', config: { kafka: { sasl: { saslPassword: 'sasl-pw' } } } }).info({ a: { b: { c: { d: { token: 'deep-token' } } } } }, 'nested');
    expect(text()).not.toContain('sasl-pw');
    expect(text()).not.toContain('deep-token');
    const line = JSON.parse(text());
    expect(line.component).toBe('x');
    expect(line.a.b.c.d.token).toBe('[redacted]');
  });

  it('redacts secrets inside arrays and errors, and an error keeps its type, message and stack', () => {
    const { logger, text } = capture();
    const error = Object.assign(new TypeError('connection refused'), { config: { url: 'postgres://u:err-pw@h/d' }, password: 'err-secret' });
    logger.error({ err: error, attempts: [{ refreshToken: 'rt-in-array' }] }, 'failed');
    for (const secret of ['err-pw', 'err-secret', 'rt-in-array']) expect(text()).not.toContain(secret);
    const line = JSON.parse(text());
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'connection refused', password: '[redacted]', config: { url: '[redacted]' } });
    expect(line.err.stack).toContain('TypeError: connection refused');
  });

  it('redacts the errors of an AggregateError', () => {
    const { logger, text } = capture();
    logger.error({ err: new AggregateError([Object.assign(new Error('one'), { accessToken: 'agg-token' })], 'several') }, 'failed');
    expect(text()).not.toContain('agg-token');
    expect(JSON.parse(text()).err.aggregateErrors[0]).toMatchObject({ message: 'one', accessToken: '[redacted]' });
  });

  it('never changes the object the caller logged', () => {
    const { logger } = capture();
    const fields = { request: { password: 'kept-for-the-caller' } };
    logger.info(fields, 'call');
    expect(fields.request.password).toBe('kept-for-the-caller');
  });

  it('logs a circular object without hanging', () => {
    const { logger, text } = capture();
    const loop: Record<string, unknown> = { secret: 'loop-secret' };
    loop['self'] = loop;
    logger.info({ loop }, 'circular');
    expect(text()).not.toContain('loop-secret');
    expect(text()).toContain('[Circular]');
  });
});
