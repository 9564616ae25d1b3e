import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateService, startPostgresContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { runServerCommand, type CommandResult } from '@authsvc/test-support/server';
import { query } from './support/admin-harness.support.js';

/** The real command line, stdin not a terminal, with only the given environment. */
const runCli = (args: string[], env: Record<string, string>): Promise<CommandResult> => runServerCommand(args, { env });

const postgres = await locateService({ name: 'PostgreSQL (admin CLI process)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
afterAll(() => postgres?.stop());

describe.skipIf(!postgres)('the admin commands of the real command line', () => {
  const dir = temporaryDir();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const keysFile = join(dir.path, 'keys', 'signing-keys.json');

  beforeAll(async () => {
    database = await createTestDatabase(postgres!.url);
    const secretFile = join(dir.path, 'refresh.secret');
    writeFileSync(secretFile, randomBytes(32).toString('base64url'));
    env = {
      AUTH_DATABASE_URL: database.url,
      AUTH_JWT_KEYS_FILE: keysFile,
      AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: secretFile,
      AUTH_PASSWORD_BCRYPT_COST: '4',
      AUTH_PASSWORD_HASH_THREADS: '1',
    };
  });

  afterAll(async () => {
    await database?.drop();
    dir.remove();
  });

  it('lists every admin command in --help', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of ['migrate', 'create-admin', 'keys', 'outbox', 'kafka']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const createAdminHelp = await runCli(['create-admin', '--help'], {});
    expect(createAdminHelp.stdout).toContain('AUTH_ADMIN_PASSWORD');
    expect(createAdminHelp.stdout).not.toMatch(/--password/);
  }, 120_000);

  it('generates keys, migrates, creates the first admin and reports the outbox, with exit codes scripts can rely on', async () => {
    const generated = await runCli(['keys', 'generate', '--out', keysFile], {});
    expect(generated.code).toBe(0);
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(keysFile)).mode & 0o777).toBe(0o700);
    const again = await runCli(['keys', 'generate', '--out', keysFile], {});
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; pass --force');

    const pending = await runCli(['migrate', 'status'], env);
    expect(pending.code).toBe(3);
    expect(pending.stdout).toMatch(/0001_accounts\s+pending/);
    const up = await runCli(['migrate', 'up'], env);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('applied 0002_outbox');

    const refused = await runCli(['create-admin', '--username', 'root', '--email', 'ops@example.com', '--country', 'NL'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('set AUTH_ADMIN_PASSWORD');
    const byArgument = await runCli(['create-admin', '--username', 'root', '--email', 'ops@example.com', '--country', 'NL', '--password', 'x'], env);
    expect(byArgument.code).not.toBe(0);

    const created = await runCli(['create-admin', '--username', 'root', '--email', 'ops@example.com', '--country', 'NL'], { ...env, AUTH_ADMIN_PASSWORD: 'operator pass phrase' });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created admin root \(id [0-9a-f-]+\)$/m);
    expect(created.stdout + created.stderr).not.toContain('operator pass phrase');
    expect(created.stderr).not.toContain('unknown environment variable');
    expect(await query<{ role: string }>(database.url, `select role from accounts where username = 'root'`)).toEqual([{ role: 'ADMIN' }]);

    const status = await runCli(['outbox', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ backlog: 1, failing: 0, failingEvents: [] });

    const rotated = await runCli(['keys', 'rotate'], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^new signing key \S+$/m);
    const listed = await runCli(['keys', 'list'], env);
    expect(listed.stdout.trim().split('\n').map((line) => line.split(/\s+/)[2])).toEqual(['verification-only', 'signing']);
  }, 600_000); // a dozen process starts from the TypeScript sources: seconds each on a loaded machine

  it('stops with exit code 2 and the setting named when the configuration is invalid', async () => {
    const result = await runCli(['migrate', 'status'], { AUTH_DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('AUTH_DATABASE_URL');
  }, 120_000);
});
