import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { locateService, startPostgresContainer, startRedisContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { buildProgram } from '../../src/cli/program.command.js';
import { generateKeys } from '../../src/cli/keys.command.js';
import { migrateUp } from '../../src/cli/migrate.command.js';
import { createApp } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { createLogger } from '../../src/logging/logger.factory.js';
import { bufferIo } from './support/admin-harness.support.js';

const postgres = await locateService({ name: 'PostgreSQL (accounts commands)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
const redis = await locateService({ name: 'Redis (accounts commands)', envVar: 'REDIS_URL', startContainer: startRedisContainer });
afterAll(async () => {
  await postgres?.stop();
  await redis?.stop();
});

describe.skipIf(!postgres || !redis)('accounts search|disable|enable|delete|restore|purge on PostgreSQL and Redis', () => {
  const dir = temporaryDir();
  const keyPrefix = `authsvc-accounts-cli-${randomBytes(4).toString('hex')}:`;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;

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

  afterAll(async () => {
    await database?.drop();
    const client = new Redis(redis!.url);
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
    dir.remove();
  });

  async function run(...args: string[]) {
    const io = bufferIo(env);
    await buildProgram(io).parseAsync(['node', 'authsvc', 'accounts', ...args]);
    return io;
  }

  it('finds accounts as JSON or a table, disables one (its sessions end, Login is refused) and enables it again', async () => {
    const app = createApp(loadConfig({ env }).config, { logger: createLogger({ level: 'silent' }) });
    try {
      const service = await app.get('service');
      const carol = await service.registerUser({ username: 'Carol_cli', email: 'carol@example.com', password: 'carol pass phrase', gender: 'female', country: 'SE', age: 30 });
      await service.registerUser({ username: 'carl_cli', email: 'carl@example.com', password: 'carl pass phrase', gender: 'male', country: 'SE', age: 30 });
      const session = await service.login({ login: 'carol_cli', password: 'carol pass phrase' });

      const json = await run('search', '--username', 'CAR', '--page-size', '1');
      expect(json.exitCode()).toBeUndefined();
      const page = JSON.parse(json.out()) as { accounts: { username: string }[]; nextPageToken: string };
      expect(page.accounts.map((a) => a.username)).toEqual(['carl_cli']);
      const next = await run('search', '--username', 'CAR', '--page-size', '1', '--page-token', page.nextPageToken);
      expect((JSON.parse(next.out()) as { accounts: { username: string }[] }).accounts.map((a) => a.username)).toEqual(['Carol_cli']);

      const disabled = await run('disable', carol.id, '--reason', 'chargeback fraud', '--output', 'table');
      expect(disabled.exitCode()).toBeUndefined();
      expect(disabled.out()).toContain('disabled: chargeback fraud');
      await expect(service.authenticate(session.tokens!.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
      await expect(service.login({ login: 'carol_cli', password: 'carol pass phrase' })).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
      const listed = await run('search', '--disabled', '--output', 'table');
      expect(listed.out()).toContain('Carol_cli');
      expect(listed.out()).not.toContain('carl_cli');

      await run('enable', carol.id);
      await expect(service.login({ login: 'carol_cli', password: 'carol pass phrase' })).resolves.toMatchObject({ accountId: carol.id });

      const exported = await run('export', carol.id.toUpperCase());
      const data = JSON.parse(exported.out()) as { account: { id: string; email: string }; sessions: unknown[] };
      expect(data.account).toMatchObject({ id: carol.id, email: 'carol@example.com' });
      expect(data.sessions).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('deletes an account (its sessions end, Login is refused), restores it, deletes it again and purges it once the grace period is over', async () => {
    const app = createApp(loadConfig({ env }).config, { logger: createLogger({ level: 'silent' }) });
    try {
      const service = await app.get('service');
      const dora = await service.registerUser({ username: 'Dora_cli', email: 'dora@example.com', password: 'dora pass phrase', gender: 'female', country: 'SE', age: 30 });
      const session = await service.login({ login: 'dora_cli', password: 'dora pass phrase' });

      const deleted = await run('delete', dora.id, '--output', 'table');
      expect(deleted.exitCode()).toBeUndefined();
      expect(deleted.out()).toMatch(/Dora_cli .* deleted \d{4}-/);
      expect(deleted.err()).toContain(`accounts restore ${dora.id}`);
      await expect(service.authenticate(session.tokens!.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
      await expect(service.login({ login: 'dora_cli', password: 'dora pass phrase' })).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
      // Within the grace period (7 days by default) the purge leaves it, and a search for deleted accounts finds it.
      expect(JSON.parse((await run('purge')).out())).toEqual({ erased: [] });
      const awaiting = JSON.parse((await run('search', '--deleted')).out()) as { accounts: { id: string }[] };
      expect(awaiting.accounts.map((account) => account.id)).toEqual([dora.id]);
      const kept = JSON.parse((await run('search', '--no-deleted', '--username', 'dora')).out()) as { accounts: unknown[] };
      expect(kept.accounts).toEqual([]);

      const restored = JSON.parse((await run('restore', dora.id)).out()) as { deletedAt: unknown };
      expect(restored.deletedAt).toBeNull();
      await expect(service.login({ login: 'dora_cli', password: 'dora pass phrase' })).resolves.toMatchObject({ accountId: dora.id });
      // reset-factors ends the sessions and reports what it removed (nothing: Dora has no factor).
      expect(JSON.parse((await run('reset-factors', dora.id)).out())).toEqual({ removed: [], sessionsRevoked: 1 });

      await run('delete', dora.id);
      const io = bufferIo({ ...env, AUTH_ACCOUNTS_DELETION_GRACE: '0' });
      await buildProgram(io).parseAsync(['node', 'authsvc', 'accounts', 'purge']);
      expect(JSON.parse(io.out())).toEqual({ erased: [dora.id] });
      expect(await (await app.get('accounts')).findById(dora.id)).toBeNull();
      await expect(service.registerUser({ username: 'Dora_cli', email: 'dora@example.com', password: 'another pass phrase', gender: 'female', country: 'SE', age: 31 })).resolves.toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('reports a refused input with its code and exit code 1', async () => {
    const io = await run('search', '--page-size', '500');
    expect(io.exitCode()).toBe(1);
    expect(io.err()).toContain('VALIDATION_FAILED');
  });
});
