import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { locateService, temporaryDir } from '@authsvc/test-support';
import { SmtpTestServer, readEmlFolder } from '@authsvc/test-support/mail';
import { serverCommandOutput, startServerProcess } from '@authsvc/test-support/server';
import { createTestDatabase, deleteRedisKeys } from '@authsvc/test-support/resources';
import { afterAll, describe } from 'vitest';
import { describeMailFlows } from './support/mail-scenarios.support.js';
import { baseEnvironment } from './support/server-environment.support.js';

/** Settings of the mail flows: a quick worker, generous per-address limits (every test client is 127.0.0.1). */
const MAIL_ENV = {
  AUTH_MAIL_POLL_INTERVAL: '50',
  AUTH_MAIL_BASE_URL: 'https://tunes.example/account',
  AUTH_THROTTLE_MAX_MAILS_PER_ADDRESS: '1000',
  AUTH_THROTTLE_MAX_PASSWORD_RESET_REQUESTS_PER_ADDRESS: '1000',
  AUTH_THROTTLE_MAX_TOKEN_REDEMPTIONS_PER_ADDRESS: '1000',
  AUTH_THROTTLE_MAX_IDENTITY_CHANGES: '1000',
  AUTH_MAIL_NOTIFY_NEW_DEVICES: 'true',
};

// Embedded mode: no SMTP server; each mail is an .eml file under <dataDir>/mail/.
const embeddedDir = temporaryDir('authsvc-mail-e2e-');
describeMailFlows(
  'embedded',
  async () => {
    const server = await startServerProcess({ env: { ...baseEnvironment(embeddedDir.path), ...MAIL_ENV } });
    return {
      server,
      mails: async () =>
        (await readEmlFolder(join(embeddedDir.path, 'mail'))).map((m) => ({
          to: m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : '',
          subject: m.subject ?? '',
          text: m.text ?? '',
        })),
    };
  },
  async () => embeddedDir.remove(),
);

// Full mode: PostgreSQL, Redis, and a real SMTP server (STARTTLS, authentication) in this process.
const noContainer = async (): Promise<never> => {
  throw new Error('the e2e suite uses the machine\'s services: set the URL variable');
};
const postgres = await locateService({ name: 'PostgreSQL (mail e2e)', envVar: 'DATABASE_URL', startContainer: noContainer });
const redis = await locateService({ name: 'Redis (mail e2e)', envVar: 'REDIS_URL', startContainer: noContainer });
const runId = `mail_e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  if (redis) await deleteRedisKeys(redis.url, `${runId}:`);
}, 60_000);

describe.skipIf(!postgres || !redis)('full mode (PostgreSQL, Redis, SMTP)', () => {
  describeMailFlows(
    'full',
    async () => {
      const database = await createTestDatabase(postgres!.url, runId);
      const dataDir = temporaryDir('authsvc-mail-e2e-');
      const smtp = await SmtpTestServer.start({ auth: { user: 'mailer', pass: 'mail pass' } });
      cleanups.push(database.drop, async () => dataDir.remove(), () => smtp.stop());
      const keysFile = `${dataDir.path}/signing-keys.json`;
      await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
      const server = await startServerProcess({
        env: {
          ...baseEnvironment(dataDir.path),
          ...MAIL_ENV,
          AUTH_DATABASE_URL: database.url,
          AUTH_DATABASE_MIGRATE: 'true',
          AUTH_JWT_KEYS_FILE: keysFile,
          AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
          AUTH_REDIS_URL: redis!.url,
          AUTH_REDIS_KEY_PREFIX: `${runId}:`,
          AUTH_MAIL_SMTP_URL: smtp.url,
          AUTH_MAIL_SMTP_VERIFY_CERTIFICATE: 'false',
        },
      });
      return { server, mails: async () => smtp.received.map((m) => ({ to: m.to[0]!, subject: m.parsed.subject ?? '', text: m.parsed.text ?? '' })) };
    },
    async () => {},
  );
});
