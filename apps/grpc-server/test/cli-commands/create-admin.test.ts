import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { isDomainError } from '@authsvc/core';
import { signedIn } from '@authsvc/core/fixtures';
import { locateService, startPostgresContainer, startRedisContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { CommandError } from '../../src/cli/cli-io.util.js';
import { createAdmin } from '../../src/cli/create-admin.command.js';
import { generateKeys } from '../../src/cli/keys.command.js';
import { migrateUp } from '../../src/cli/migrate.command.js';
import { createApp, type App } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { createLogger } from '../../src/logging/logger.factory.js';
import { bufferIo, query } from './support/admin-harness.support.js';

const postgres = await locateService({ name: 'PostgreSQL (admin commands)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
const redis = await locateService({ name: 'Redis (admin commands)', envVar: 'REDIS_URL', startContainer: startRedisContainer });
afterAll(async () => {
  await postgres?.stop();
  await redis?.stop();
});

const PASSWORD = 'an admin pass phrase';

describe.skipIf(!postgres || !redis)('create-admin on PostgreSQL and Redis', () => {
  const dir = temporaryDir();
  const keyPrefix = `authsvc-admin-test-${randomBytes(4).toString('hex')}:`;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const apps: App[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(postgres!.url);
    const keysFile = join(dir.path, 'signing-keys.json');
    await generateKeys(bufferIo(), { out: keysFile, alg: 'EdDSA', force: false });
    const secretFile = join(dir.path, 'refresh.secret');
    writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    env = {
      AUTH_DATABASE_URL: database.url,
      AUTH_REDIS_URL: redis!.url,
      AUTH_REDIS_KEY_PREFIX: keyPrefix,
      AUTH_JWT_KEYS_FILE: keysFile,
      AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: secretFile,
      AUTH_PASSWORD_BCRYPT_COST: '4',
      AUTH_PASSWORD_HASH_THREADS: '1',
    };
    await migrateUp(loadConfig({ env }).config, bufferIo());
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  afterAll(async () => {
    await database?.drop();
    const client = new Redis(redis!.url);
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
    dir.remove();
  });

  it('creates an admin from AUTH_ADMIN_PASSWORD who can log in and change the role of another account', async () => {
    const io = bufferIo({ ...env, AUTH_ADMIN_PASSWORD: PASSWORD });
    const admin = await createAdmin(loadConfig({ env: io.env }).config, io, { username: 'root', email: 'ops@example.com', country: 'nl', age: 40, gender: 'prefer_not_to_say' });
    expect(admin.role).toBe('ADMIN');
    expect(io.out()).toContain(`created admin root (id ${admin.id})`);
    expect(io.env['AUTH_ADMIN_PASSWORD']).toBeUndefined();
    expect(io.out() + io.err()).not.toContain(PASSWORD);

    // The account is stored with a hash (never the password) and its event waits in the outbox.
    const stored = await query<{ role: string; password_hash: string }>(database.url, 'select role, password_hash from accounts where id = $1', [admin.id]);
    expect(stored[0]?.role).toBe('ADMIN');
    expect(stored[0]?.password_hash).not.toContain(PASSWORD);
    const events = await query<{ type: string }>(database.url, 'select type from outbox where key = $1', [admin.id]);
    expect(events.map((e) => e.type)).toEqual(['user.created']);

    const app = createApp(loadConfig({ env }).config, { logger: createLogger({ level: 'silent' }) });
    apps.push(app);
    const service = await app.get('service');
    const bob = await service.registerUser({ username: 'bob', email: 'bob@example.com', password: 'bob pass phrase', gender: 'male', country: 'DE', age: 31 });
    const login = await signedIn(service.login({ login: 'root', password: PASSWORD }));
    expect(login.role).toBe('ADMIN');
    const principal = await service.authenticate(login.tokens.accessToken);
    const promoted = await service.setRole(principal, { id: bob.id, role: 'ADMIN' });
    expect(promoted.role).toBe('ADMIN');
    expect((await service.login({ login: 'bob', password: 'bob pass phrase' })).role).toBe('ADMIN');
  });

  it('refuses without AUTH_ADMIN_PASSWORD when stdin is not a terminal, and creates nothing', async () => {
    const io = bufferIo(env);
    await expect(createAdmin(loadConfig({ env }).config, io, { username: 'nopass', email: 'nopass@example.com', country: 'NL', age: 30, gender: 'female' })).rejects.toThrow(CommandError);
    expect(await query(database.url, `select id from accounts where username = 'nopass'`)).toEqual([]);
  });

  it('goes through core validation: a wrong country is refused with the field named', async () => {
    const io = bufferIo({ ...env, AUTH_ADMIN_PASSWORD: PASSWORD });
    const error = await createAdmin(loadConfig({ env }).config, io, { username: 'badcountry', email: 'bad@example.com', country: 'XX', age: 30, gender: 'female' }).catch((e: unknown) => e);
    expect(isDomainError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('country');
  });
});
