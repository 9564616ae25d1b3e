import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@authsvc/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runRelayProcess } from '../../src/cli/relay.command.js';
import { createApp } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { capturingLogger } from './support/capturing-logger.support.js';

describe('the outbox relay as its own process (`relay`)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-relay-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { AUTH_DATA_DIR: dataDir, AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1', AUTH_OUTBOX_RELAY_ENABLED: 'false' };

  it('publishes what a server with outbox.relayEnabled=false left in the outbox, and stops cleanly', async () => {
    const { config } = loadConfig({ env });
    const server = capturingLogger();
    const app = createApp(config, { logger: server.logger });
    let userId: string;
    try {
      expect(app.adapters().relay).toMatch(/^off/);
      userId = (await (await app.get('service')).registerUser({ username: 'relayed', email: 'relayed@example.com', password: 'a long enough password', gender: 'female', country: 'NL', age: 30 })).id;
    } finally {
      await app.close();
    }
    // The server published nothing: the event waits in the outbox.
    expect(server.lines.join('\n')).not.toContain('event user.created');

    const relay = capturingLogger();
    const stop = await runRelayProcess(config, relay.logger);
    try {
      await eventually(() => relay.lines.some((line) => line.includes('event user.created') && line.includes(userId)), 30_000, 100);
      expect(relay.lines.join('\n')).toContain(`key=${userId}`);
    } finally {
      await stop();
    }
  }, 180_000);
});
