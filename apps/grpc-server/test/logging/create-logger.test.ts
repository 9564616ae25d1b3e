import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';

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
