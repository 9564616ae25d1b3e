import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateService, startPostgresContainer, temporaryDir } from '@authsvc/test-support';
import { createTestDatabase } from '@authsvc/test-support/resources';
import { importAccounts, REJECTED_EXIT_CODE } from '../../src/cli/accounts-import.command.js';
import { generateKeys } from '../../src/cli/keys.command.js';
import { migrateUp } from '../../src/cli/migrate.command.js';
import { buildProgram } from '../../src/cli/program.command.js';
import { splitCsvRecord } from '../../src/cli/account-import-file.codec.js';
import { createApp } from '../../src/composition/app.factory.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { createLogger } from '../../src/logging/logger.factory.js';
import { bufferIo } from './support/admin-harness.support.js';

const postgres = await locateService({ name: 'PostgreSQL (accounts import)', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
afterAll(() => postgres?.stop());

const GO_BCRYPT = '$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga';
const id = (n: number) => `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('splitCsvRecord', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and refuses a stray quote', () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",')).toEqual(['a', 'b, c', 'say "hi"', '']);
    expect(splitCsvRecord('a,"open\nstill open')).toBe('open');
    expect(splitCsvRecord('a,b"c')).toBeNull();
    expect(splitCsvRecord('"a"b')).toBeNull();
  });
});

describe.skipIf(!postgres)('accounts import on PostgreSQL', () => {
  const dir = temporaryDir();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(postgres!.url);
    const keysFile = join(dir.path, 'keys.json');
    await generateKeys(bufferIo(), { out: keysFile, alg: 'EdDSA', force: false });
    const secretFile = join(dir.path, 'refresh.secret');
    writeFileSync(secretFile, randomBytes(32).toString('base64url'));
    env = { AUTH_DATABASE_URL: database.url, AUTH_JWT_KEYS_FILE: keysFile, AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: secretFile, AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1' };
    await migrateUp(loadConfig({ env }).config, bufferIo());
  });

  afterAll(async () => {
    await database?.drop();
    dir.remove();
  });

  it('imports JSON lines, lists the rejected lines by number on stderr (exit code 4), and a Go bcrypt account signs in', async () => {
    const file = join(dir.path, 'accounts.jsonl');
    const lines = [
      JSON.stringify({ id: id(1), kind: 'user', username: 'go_user', email: 'go@example.com', password_hash: GO_BCRYPT, gender: 'male', country: 'SE', age: 40 }),
      '',
      '{"id": broken json',
      JSON.stringify({ id: id(4), kind: 'user', username: 'bad_email', email: 'nope', password_hash: GO_BCRYPT, gender: 'male', country: 'SE', age: 40 }),
      JSON.stringify({ id: id(5), kind: 'artist', username: 'the_band', email: 'band@example.com', password_hash: GO_BCRYPT, author: 'The Band', country: 'US' }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = bufferIo(env);
    await buildProgram(cli).parseAsync(['node', 'authsvc', 'accounts', 'import', file, '--events']);
    expect(cli.exitCode()).toBe(REJECTED_EXIT_CODE);
    expect(cli.out()).toMatch(/^read 4, imported 2, already present 0, rejected 2 in /);
    expect(cli.err()).toContain('line 3: line: is not valid JSON');
    expect(cli.err()).toContain('line 4: email: must be a valid email address');
    expect(cli.err()).not.toContain(GO_BCRYPT);

    const app = createApp(loadConfig({ env }).config, { logger: createLogger({ level: 'silent' }) });
    try {
      // The two imported accounts' events, before the login below adds its own security event.
      expect((await (await app.get('database')).outboxStatus(new Date(), 10)).backlog).toBe(2);
      const service = await app.get('service');
      await expect(service.login({ login: 'go_user', password: 'allmine' })).resolves.toMatchObject({ accountId: id(1) });
      expect(await (await app.get('accounts')).findByLogin('bad_email')).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('imports CSV, and a second run of the same file changes nothing (idempotent by id)', async () => {
    const file = join(dir.path, 'accounts.csv');
    writeFileSync(
      file,
      [
        'id,kind,username,email,password_hash,gender,country,age,author,producer,description',
        `${id(10)},user,csv_user,csv@example.com,${GO_BCRYPT},female,nl,27,,,`,
        `${id(11)},artist,csv_artist,artist@example.com,${GO_BCRYPT},,DE,,"Quote ""Q"", Band",,"two`,
        `lines"`,
        `${id(12)},user,csv_old,old@example.com,${GO_BCRYPT},female,NL,200,,,`,
      ].join('\r\n'),
    );
    const config = loadConfig({ env }).config;
    const first = await importAccounts(config, bufferIo(), file, { events: false, batchSize: 2 });
    expect(first).toMatchObject({ read: 3, inserted: 2, existing: 0, rejected: 1 });
    const second = await importAccounts(config, bufferIo(), file, { events: false, batchSize: 2 });
    expect(second).toMatchObject({ read: 3, inserted: 0, existing: 2, rejected: 1 });
    const app = createApp(config, { logger: createLogger({ level: 'silent' }) });
    try {
      expect(await (await app.get('accounts')).findById(id(11))).toMatchObject({ author: 'Quote "Q", Band', description: 'two\nlines', country: 'DE' });
    } finally {
      await app.close();
    }
  });
});
