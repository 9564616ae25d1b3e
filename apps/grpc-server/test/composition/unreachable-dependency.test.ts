import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '@authsvc/core';
import { createApp } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { createLogger } from '../../src/logging/logger.factory.js';

describe('a required dependency that does not answer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-down-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // Nothing listens on port 1 of loopback: a real Redis client, refused at once.
  it('Redis down: the server still starts, health says NOT_SERVING naming redis, and calls get UNAVAILABLE', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).trim().split('\n'));
        callback();
      },
    });
    const env = { AUTH_DATA_DIR: dataDir, AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1', AUTH_REDIS_URL: 'redis://:not-to-be-logged@127.0.0.1:1' };
    const app = createApp(loadConfig({ env }).config, { logger: createLogger({ level: 'info', destination }) });
    try {
      const health = await app.get('health');
      expect(health.getStatus()).toBe('NOT_SERVING');
      expect(health.failing()).toEqual(['redis']);
      const failure = await (await app.get('service')).login({ login: 'nobody', password: 'whatever password' }).catch((error: unknown) => error);
      expect(isDomainError(failure, 'DEPENDENCY_UNAVAILABLE'), String(failure)).toBe(true);
      expect(lines.join('\n')).not.toContain('not-to-be-logged');
    } finally {
      await app.close();
    }
  }, 120_000);
});
