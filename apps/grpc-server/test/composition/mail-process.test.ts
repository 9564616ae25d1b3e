import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@authsvc/test-support';
import { readEmlFolder } from '@authsvc/test-support/mail';
import { afterAll, describe, expect, it } from 'vitest';
import { runMailProcess } from '../../src/cli/mail.command.js';
import { createApp } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { capturingLogger } from './support/capturing-logger.support.js';

describe('the mail delivery worker as its own process (`mail deliver`)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-mail-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { AUTH_DATA_DIR: dataDir, AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1', AUTH_MAIL_DELIVERY_ENABLED: 'false', AUTH_MAIL_RESET_REPLY_FLOOR: '0' };

  it('sends what a server with mail.deliveryEnabled=false queued, as an .eml file named in the log, and stops cleanly', async () => {
    const { config } = loadConfig({ env });
    const server = capturingLogger();
    const app = createApp(config, { logger: server.logger });
    try {
      expect(app.adapters().mail).toMatch(/^off/);
      const service = await app.get('service');
      await service.registerUser({ username: 'mailed', email: 'mailed@example.com', password: 'a long enough password', gender: 'female', country: 'NL', age: 30 });
      await service.requestPasswordReset({ email: 'mailed@example.com' });
    } finally {
      await app.close();
    }
    expect(await readEmlFolder(join(dataDir, 'mail'))).toEqual([]);

    const worker = capturingLogger();
    const stop = await runMailProcess(config, worker.logger);
    try {
      await eventually(async () => (await readEmlFolder(join(dataDir, 'mail'))).length === 1, 30_000, 100);
      const [mail] = await readEmlFolder(join(dataDir, 'mail'));
      expect(mail!.subject).toBe('Reset your password');
      expect(worker.lines.join('\n')).toContain(`mail reset-password sent: ${mail!.file}`);
    } finally {
      await stop();
    }
  }, 180_000);
});
