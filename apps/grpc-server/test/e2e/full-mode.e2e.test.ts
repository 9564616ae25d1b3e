import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { eventually, locateService, temporaryDir } from '@authsvc/test-support';
import { mailedLink, readEmlFolder } from '@authsvc/test-support/mail';
import { TestClient } from '@authsvc/test-support/grpc';
import { serverCommandOutput, startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { afterAll, describe, expect, it } from 'vitest';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { describeServerScenarios, type StartedServer } from './support/e2e-scenarios.support.js';
import { baseEnvironment, createAdminAccount } from './support/server-environment.support.js';
import { createTestDatabase, deleteRedisKeys, deleteTopics } from '@authsvc/test-support/resources';
import { collectEvents, waitForEvent } from './support/full-mode-resources.support.js';
import { Role, type SecurityEvent } from '@authsvc/proto/auth/v1/auth';
import { SECURITY_EVENT_TYPES, TOTP_PERIOD_SECONDS, totpCodeAt } from '@authsvc/core';

const noContainer = async (): Promise<never> => {
  throw new Error('the e2e suite uses the machine\'s services: set the URL variable');
};
const postgres = await locateService({ name: 'PostgreSQL (e2e full mode)', envVar: 'DATABASE_URL', startContainer: noContainer });
const redis = await locateService({ name: 'Redis (e2e full mode)', envVar: 'REDIS_URL', startContainer: noContainer });
const kafka = await locateService({ name: 'Kafka (e2e full mode)', envVar: 'KAFKA_BROKERS', startContainer: noContainer });
const services = postgres && redis && kafka ? { postgres: postgres.url, redis: redis.url, kafka: kafka.url } : null;

// Everything this run creates is named after one run id: databases, Redis key prefix, topics.
const runId = `e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const topics = {
  USER_CREATED: `${runId}.user.created`,
  ARTIST_CREATED: `${runId}.artist.created`,
  USER_UPDATED: `${runId}.user.updated`,
  ARTIST_UPDATED: `${runId}.artist.updated`,
  SECURITY: `${runId}.auth.security`,
};
const cleanups: (() => Promise<void>)[] = [];
let databases = 0;

/** A server process on its own fresh database, the machine's Redis (own key prefix) and Kafka (own topics). */
async function start(): Promise<StartedServer & { dataDir: string }> {
  const { postgres: pgUrl, redis: redisUrl, kafka: brokers } = services!;
  databases += 1;
  const database = await createTestDatabase(pgUrl, `${runId}_${databases}`);
  const dataDir = temporaryDir('authsvc-e2e-');
  cleanups.push(database.drop, async () => dataDir.remove());
  // Full mode refuses per-instance generated secrets: every instance must share them, so they are configured.
  const keysFile = `${dataDir.path}/signing-keys.json`;
  await serverCommandOutput(['keys', 'generate', '--out', keysFile]);
  const env = {
    ...baseEnvironment(dataDir.path),
    AUTH_DATABASE_URL: database.url,
    AUTH_DATABASE_MIGRATE: 'true',
    AUTH_JWT_KEYS_FILE: keysFile,
    AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    AUTH_REDIS_URL: redisUrl,
    AUTH_REDIS_KEY_PREFIX: `${runId}:${databases}:`,
    AUTH_KAFKA_BROKERS: brokers,
    AUTH_KAFKA_CREATE_TOPICS: 'true',
    // Shared TOTP keys, as full mode needs them (none are generated): the second-factor events need TOTP on.
    AUTH_MFA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64url')}`,
    ...Object.fromEntries(Object.entries(topics).map(([key, topic]) => [`AUTH_KAFKA_TOPICS_${key}`, topic])),
  };
  const admin = await createAdminAccount(env);
  return { admin, dataDir: dataDir.path, server: await startServerProcess({ env }) };
}

/** The token of the newest mail to `to` with `subject` in an embedded-mode server's .eml folder, waiting for it. */
async function tokenMailed(dataDir: string, to: string, subject: string): Promise<string> {
  let token = '';
  await eventually(async () => {
    const mail = (await readEmlFolder(join(dataDir, 'mail'))).filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === to && m.subject === subject).at(-1);
    if (mail) token = mailedLink(mail).token;
    return mail !== undefined;
  }, 20_000, 50);
  return token;
}

afterAll(async () => {
  if (!services) return;
  for (const cleanup of cleanups) await cleanup();
  await deleteRedisKeys(services.redis, `${runId}:`);
  await deleteTopics(services.kafka, Object.values(topics));
}, 60_000);

describe.skipIf(!services)('full mode (PostgreSQL, Redis, Kafka)', () => {
  describeServerScenarios('full', start, async () => {});

  describe('events', () => {
    let server: ServerProcess | undefined;
    afterAll(() => server?.stop('SIGKILL'));

    it('a registration reaches Kafka as a user.created event carrying the profile, never the password', async () => {
      ({ server } = await start());
      const client = new TestClient(server.address);
      try {
        const input = aUser();
        const { user } = await client.call('registerUser', input);
        const event = await waitForEvent(services!.kafka, topics.USER_CREATED, (value) => JSON.stringify(value).includes(user!.id));
        expect(JSON.stringify(event)).toContain(input.username);
        expect(JSON.stringify(event)).not.toContain(input.password);
      } finally {
        client.close();
      }
      expect(await server.stop('SIGTERM')).toBe(0);
    }, 90_000);

    it('every security event type produced by a real flow reaches the auth.security topic (keyed by account) and ListSecurityEvents', async () => {
      const started = await start();
      server = started.server;
      const client = new TestClient(server.address);
      try {
        const input = aUser();
        const { user } = await client.call('registerUser', input);
        const id = user!.id;
        const phone = (await client.call('login', { login: input.username, password: input.password, deviceName: 'Phone' })).tokens!;
        const password = 'e2e changed password';
        const first = (await client.call('changePassword', { id, oldPassword: input.password, newPassword: password }, { token: phone.accessToken })).tokens!;
        const second = (await client.call('refreshToken', { refreshToken: first.refreshToken })).tokens!;
        await client.call('refreshToken', { refreshToken: second.refreshToken });
        await client.failure('refreshToken', { refreshToken: first.refreshToken }); // reuse: the session is revoked
        const laptop = (await client.call('login', { login: input.username, password })).tokens!;
        await client.call('logout', { refreshToken: laptop.refreshToken });
        // The mail features' events (embedded mail: .eml files in the data folder), each with a session to revoke.
        await client.call('login', { login: input.username, password });
        await client.call('requestPasswordReset', { email: input.email });
        await client.call('requestPasswordReset', { email: `nobody.${runId}@example.com` });
        const resetToken = await tokenMailed(started.dataDir, input.email, 'Reset your password');
        const resetPassword = 'e2e reset password';
        await client.call('resetPassword', { token: resetToken, newPassword: resetPassword });
        const tablet = (await client.call('login', { login: input.username, password: resetPassword })).tokens!;
        const newEmail = `new.${input.email}`;
        await client.call('requestEmailChange', { id, newEmail, currentPassword: resetPassword }, { token: tablet.accessToken });
        const changeToken = await tokenMailed(started.dataDir, newEmail, 'Confirm your new email address');
        await client.call('login', { login: input.username, password: resetPassword });
        await client.call('confirmEmailChange', { token: changeToken }, { token: tablet.accessToken });
        // The second-factor events: enrol TOTP, a wrong code, a recovery code, new codes, then TOTP off again.
        const desk = (await client.call('login', { login: input.username, password: resetPassword })).tokens!;
        const { secret: totpSecret } = await client.call('beginTotpEnrolment', { id }, { token: desk.accessToken });
        const { recoveryCodes } = await client.call('confirmTotpEnrolment', { id, totpCode: totpCodeAt(totpSecret, new Date()) }, { token: desk.accessToken });
        const ticket = (await client.call('login', { login: input.username, password: resetPassword })).mfaTicket;
        const wrongCode = totpCodeAt(totpSecret, new Date(Date.now() + 10 * TOTP_PERIOD_SECONDS * 1000));
        await client.failure('completeLogin', { ticket, totpCode: wrongCode, recoveryCode: '', passkeyAssertion: '' });
        const strong = (await client.call('completeLogin', { ticket, totpCode: '', recoveryCode: recoveryCodes[0]!, passkeyAssertion: '' })).tokens!;
        const renewed = await client.call('regenerateRecoveryCodes', { id, totpCode: '', recoveryCode: recoveryCodes[1]! }, { token: strong.accessToken });
        await client.call('disableTotp', { id, password: resetPassword, totpCode: '', recoveryCode: renewed.recoveryCodes[0]! }, { token: strong.accessToken });
        // The admin features' events: a disabled account's right password is a failed login (disabled).
        const admin = (await client.call('login', { login: started.admin.login, password: started.admin.password })).tokens!;
        await client.call('login', { login: input.username, password: resetPassword });
        await client.call('disableAccount', { id, reason: 'e2e: security events' }, { token: admin.accessToken });
        await client.failure('login', { login: input.username, password: resetPassword });
        await client.call('enableAccount', { id }, { token: admin.accessToken });
        for (let i = 0; i < 3; i += 1) await client.failure('login', { login: input.username, password: `wrong password ${i}` });
        await client.failure('login', { login: input.username, password: resetPassword }); // throttled: the per-(name, address) limit is 3
        await client.call('setRole', { id, role: Role.ROLE_ADMIN }, { token: admin.accessToken });
        await client.call('deleteAccount', { id, currentPassword: '' }, { token: admin.accessToken });
        await client.call('restoreAccount', { id }, { token: admin.accessToken });
        const expected = new Set<string>(SECURITY_EVENT_TYPES);

        // The audit trail first (a logout's or a failed login's event is written just after the call answered).
        const listAll = async (): Promise<SecurityEvent[]> => {
          const listed: SecurityEvent[] = [];
          let pageToken = '';
          do {
            const page = await client.call('listSecurityEvents', { id, types: [], pageSize: 5, pageToken }, { token: admin.accessToken });
            listed.push(...page.events);
            pageToken = page.nextPageToken;
          } while (pageToken !== '');
          return listed;
        };
        let listed = await listAll();
        for (let i = 0; i < 50 && ![...expected].every((type) => listed.some((e) => e.type === type)); i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          listed = await listAll();
        }
        for (const type of expected) expect(listed.map((e) => e.type), type).toContain(type);
        const reasons = (type: string) => listed.filter((e) => e.type === type).map((e) => e.reason);
        expect(reasons('auth.login.failed')).toEqual(expect.arrayContaining(['bad_credentials', 'disabled']));
        expect(reasons('auth.session.revoked')).toEqual(expect.arrayContaining(['logout', 'reuse', 'password_change', 'password_reset', 'email_change', 'account_disabled']));
        // Then the topic: every listed event arrives there, keyed by the account, never with a secret.
        const onKafka = await collectEvents(
          services!.kafka,
          topics.SECURITY,
          (message) => message.key === id,
          (collected) => listed.every((event) => collected.some((m) => (m.value['event'] as { id: string }).id === event.id)),
        );
        for (const message of onKafka) {
          expect(message.value).toMatchObject({ schema_version: 1, event: { account_id: id } });
          for (const secret of [input.password, password, resetPassword, resetToken, changeToken, input.email, newEmail, totpSecret, ticket, ...recoveryCodes]) expect(JSON.stringify(message.value)).not.toContain(secret);
        }
        for (const type of expected) expect(onKafka.map((m) => m.value['event'] as { type: string }).map((e) => e.type), type).toContain(type);
        expect(new Set(listed.map((e) => e.id)).size).toBe(listed.length);
        // A reset requested for an address of no account: on the topic, keyed by the address's keyed hash, no address.
        const [unknown] = await collectEvents(
          services!.kafka,
          topics.SECURITY,
          (message) => message.key.startsWith('login:') && (message.value['event'] as { type: string }).type === 'auth.password.reset_requested',
          (collected) => collected.length > 0,
        );
        expect(unknown!.value).toMatchObject({ event: { account_id: null, login_hash: expect.any(String) } });
        expect(JSON.stringify(unknown!.value)).not.toContain(runId);
      } finally {
        client.close();
      }
      expect(await server.stop('SIGTERM')).toBe(0);
    }, 180_000);
  });
});
