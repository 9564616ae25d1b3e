import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, locateService, startPostgresContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { SmtpTestServer, mailedLink } from '@authsvc/test-support/mail';
import { generateKeys } from '../../src/cli/keys.command.js';
import { formatMailReport, mailReport, MAIL_TROUBLE_EXIT_CODE } from '../../src/cli/mail.command.js';
import { migrateUp } from '../../src/cli/migrate.command.js';
import { createApp, type App } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { bufferIo } from '../cli-commands/support/admin-harness.support.js';
import { capturingLogger } from './support/capturing-logger.support.js';

const postgres = await locateService({ name: 'PostgreSQL (mail delivery)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
afterAll(() => postgres?.stop());

// The delivery worker of the real composition, on PostgreSQL, against a real SMTP server in this process.
describe.skipIf(!postgres)('mail delivery through SMTP', () => {
  const dir = temporaryDir();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: SmtpTestServer;
  let env: Record<string, string>;
  let app: App;
  const log = capturingLogger();

  beforeAll(async () => {
    database = await createTestDatabase(postgres!.url);
    smtp = await SmtpTestServer.start({ auth: { user: 'mailer', pass: 'mail pass' } });
    const keysFile = join(dir.path, 'keys.json');
    await generateKeys(bufferIo(), { out: keysFile, alg: 'EdDSA', force: false });
    const secretFile = join(dir.path, 'refresh.secret');
    writeFileSync(secretFile, randomBytes(32).toString('base64url'));
    env = {
      AUTH_DATABASE_URL: database.url,
      AUTH_JWT_KEYS_FILE: keysFile,
      AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: secretFile,
      AUTH_PASSWORD_BCRYPT_COST: '4',
      AUTH_PASSWORD_HASH_THREADS: '1',
      AUTH_MAIL_SMTP_URL: smtp.url,
      AUTH_MAIL_SMTP_VERIFY_CERTIFICATE: 'false',
      AUTH_MAIL_BASE_URL: 'https://tunes.example/account',
      AUTH_MAIL_FROM: 'Tunes <no-reply@tunes.example>',
      AUTH_MAIL_POLL_INTERVAL: '50',
      AUTH_MAIL_RETRY_BASE: '100',
      AUTH_MAIL_RETRY_CAP: '300',
      AUTH_MAIL_MAX_REJECTIONS: '2',
      AUTH_MAIL_RESET_REPLY_FLOOR: '0',
      AUTH_THROTTLE_MAX_MAILS_PER_ADDRESS: '100',
    };
    await migrateUp(loadConfig({ env }).config, bufferIo());
    app = createApp(loadConfig({ env }).config, { logger: log.logger });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await database?.drop();
    dir.remove();
  });

  const register = async (name: string) =>
    (await app.get('service')).registerUser({ username: name, email: `${name}@example.com`, password: 'a long pass phrase', gender: 'female', country: 'NL', age: 30 });

  it('SMTP down for a while, then back: every mail arrives, none twice; the link resets the password', async () => {
    const service = await app.get('service');
    const names = Array.from({ length: 8 }, (_, i) => `listener${i}`);
    for (const name of names) await register(name);
    await smtp.pause();
    await app.get('mailDelivery');
    for (const name of names) await service.requestPasswordReset({ email: `${name}@example.com` });

    await eventually(async () => (await mailReport(loadConfig({ env }).config, bufferIo(), { limit: 20 })).failing === names.length, 20_000, 100);
    expect(smtp.received).toEqual([]);
    expect(log.lines.join('\n')).toContain('sending mail failed; it will be retried');

    await smtp.resume();
    await smtp.waitFor(names.length, 20_000);
    // A few more polls: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(smtp.received).toHaveLength(names.length);
    expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).toBe(names.length);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(names.map((n) => `${n}@example.com`).sort());
    expect(smtp.received.every((m) => m.secure && m.user === 'mailer')).toBe(true);

    const mail = smtp.received.find((m) => m.to[0] === 'listener0@example.com')!;
    expect(mail.parsed.subject).toBe('Reset your password');
    const { url, token } = mailedLink(mail);
    expect(url).toMatch(/^https:\/\/tunes\.example\/account\/reset-password\?token=/);
    expect(mail.parsed.html).toContain(url);
    await service.resetPassword({ token, newPassword: 'a brand new phrase' });
    await expect(service.login({ login: 'listener0', password: 'a brand new phrase' })).resolves.toBeDefined();
    // No token in any log line.
    expect(log.lines.join('\n')).not.toContain(token);
    expect((await mailReport(loadConfig({ env }).config, bufferIo(), { limit: 20 })).pending).toBe(0);
  }, 60_000);

  it('a 4xx is retried until it goes through; a 5xx twice abandons the mail, reported by `mail status` and the log', async () => {
    const service = await app.get('service');
    await register('retried');
    await register('refused');
    await app.get('mailDelivery');
    const before = smtp.received.length;

    smtp.answerNext(1, 421);
    await service.requestPasswordReset({ email: 'retried@example.com' });
    await eventually(() => smtp.received.length === before + 1, 20_000, 50);
    expect(smtp.received.at(-1)!.to).toEqual(['retried@example.com']);

    smtp.answerNext(2, 550);
    await service.requestPasswordReset({ email: 'refused@example.com' });
    await eventually(async () => (await mailReport(loadConfig({ env }).config, bufferIo(), { limit: 20 })).abandoned === 1, 20_000, 100);
    const report = await mailReport(loadConfig({ env }).config, bufferIo(), { limit: 20 });
    expect(report.mails).toEqual([expect.objectContaining({ state: 'abandoned', kind: 'reset-password', to: 'refused@example.com', attempts: 2, lastError: expect.stringContaining('SMTP 550') })]);
    expect(formatMailReport(report)).toContain('abandoned (gave up):      1');
    expect(log.lines.join('\n')).toContain('mail abandoned after too many failed tries');
    expect(smtp.received.map((m) => m.to[0])).not.toContain('refused@example.com');
    expect(MAIL_TROUBLE_EXIT_CODE).toBe(3);
  }, 60_000);
});
