import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresDatabase } from '@authsvc/adapters-postgres';
import { locateService, startPostgresContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { createAdmin } from '../../src/cli/create-admin.command.js';
import { formatOutboxReport, outboxReport } from '../../src/cli/outbox.command.js';
import { generateKeys } from '../../src/cli/keys.command.js';
import { migrateUp } from '../../src/cli/migrate.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { bufferIo } from './support/admin-harness.support.js';

const postgres = await locateService({ name: 'PostgreSQL (admin commands)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
afterAll(() => postgres?.stop());

describe.skipIf(!postgres)('outbox status on PostgreSQL', () => {
  const dir = temporaryDir();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(postgres!.url);
    const keysFile = join(dir.path, 'keys.json');
    await generateKeys(bufferIo(), { out: keysFile, alg: 'EdDSA', force: false });
    const secretFile = join(dir.path, 'refresh.secret');
    writeFileSync(secretFile, randomBytes(32).toString('base64url'));
    env = { AUTH_DATABASE_URL: database.url, AUTH_JWT_KEYS_FILE: keysFile, AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: secretFile, AUTH_PASSWORD_BCRYPT_COST: '4' };
    await migrateUp(loadConfig({ env }).config, bufferIo());
  });

  afterAll(async () => {
    await database?.drop();
    dir.remove();
  });

  it('reports the backlog, the oldest pending age, and failing events with their last error and next attempt', async () => {
    const config = loadConfig({ env }).config;
    const empty = await outboxReport(config, bufferIo(), { limit: 20 });
    expect(empty).toEqual({ backlog: 0, failing: 0, oldestPendingAgeMs: null, failingEvents: [] });

    // Two accounts: two user.created events waiting for the relay.
    for (const name of ['first', 'second']) {
      await createAdmin(config, bufferIo({ AUTH_ADMIN_PASSWORD: 'a long pass phrase' }), { username: name, email: `${name}@example.com`, country: 'NL', age: 30, gender: 'female' });
    }
    const pending = await outboxReport(config, bufferIo(), { limit: 20, now: new Date(Date.now() + 60_000) });
    expect(pending).toMatchObject({ backlog: 2, failing: 0, failingEvents: [] });
    expect(pending.oldestPendingAgeMs).toBeGreaterThanOrEqual(60_000);

    // The broker refuses the first one: it becomes a failing row with its error and retry time.
    const opened = openPostgresDatabase({ url: database.url });
    const retryAt = new Date(Date.now() + 30_000);
    try {
      await opened.stores.relayStore.processBatch(10, async (events) => ({
        published: events.slice(1).map((e) => e.id),
        failed: [{ id: events[0]!.id, error: 'broker said: topic authorization failed', retryAt }],
      }));
    } finally {
      await opened.close();
    }
    const failing = await outboxReport(config, bufferIo(), { limit: 20 });
    expect(failing).toMatchObject({ backlog: 1, failing: 1 });
    expect(failing.failingEvents).toEqual([
      expect.objectContaining({ type: 'user.created', topic: 'user.created', attempts: 1, lastError: 'broker said: topic authorization failed', nextAttemptAt: retryAt }),
    ]);
    const text = formatOutboxReport(failing);
    expect(text).toContain('backlog (unpublished events): 1');
    expect(text).toContain('last error: broker said: topic authorization failed');
    expect(text).toContain(`next=${retryAt.toISOString()}`);
  });
});
