import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '@authsvc/core';
import { signedIn } from '@authsvc/core/fixtures';
import { createApp, type App } from '../../src/composition/app.factory.js';
import { ConfigError } from '../../src/config/config.errors.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { capturingLogger } from './support/capturing-logger.support.js';

const dirs: string[] = [];
const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function embeddedConfig(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-app-'));
  dirs.push(dataDir);
  return loadConfig({ env: { AUTH_DATA_DIR: dataDir, AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1', ...env } }).config;
}

function app(config: ReturnType<typeof embeddedConfig>, options: Partial<Parameters<typeof createApp>[1]> = {}): App {
  const created = createApp(config, { logger: capturingLogger('debug').logger, ...options });
  apps.push(created);
  return created;
}

const ALICE = { username: 'alice', email: 'alice@example.com', password: 'correct horse battery', gender: 'female' as const, country: 'NL', age: 30 };

describe('createApp in embedded mode', () => {
  // PGlite's start-up (initdb in WebAssembly) costs seconds, so one app serves the checks that do not restart it.
  const config = embeddedConfig();
  const first = capturingLogger('debug');
  let embedded: App;
  beforeAll(async () => {
    embedded = createApp(config, { logger: first.logger });
    await embedded.get('service');
    await embedded.get('health');
    await embedded.get('relay');
  });
  afterAll(() => embedded.close());

  it('picks PGlite, in-memory sessions and the log publisher, and the service works end to end', async () => {
    expect(embedded.adapters()).toMatchObject({
      database: expect.stringMatching(/^embedded PGlite in /),
      sessions: 'in memory (single instance)',
      events: 'log (no broker configured)',
      relay: expect.stringMatching(/^in process/),
    });
    expect((await embedded.get('health')).getStatus()).toBe('SERVING');

    const service = await embedded.get('service');
    await service.registerUser(ALICE);
    const login = await signedIn(service.login({ login: 'ALICE', password: ALICE.password }));
    const principal = await service.authenticate(login.tokens.accessToken);
    expect(principal).toMatchObject({ accountId: login.accountId });
    expect((await service.getJwks()).keys).toHaveLength(1);
    const log = first.lines.join('\n');
    expect(log).not.toContain(ALICE.password);
    expect(log).not.toContain(login.tokens.accessToken);
    expect(log).not.toContain(login.tokens.refreshToken);
  });

  it('builds each part once: every later get returns the same instance', async () => {
    expect(await embedded.get('service')).toBe(await embedded.get('service'));
    expect(await embedded.get('accounts')).toBe((await embedded.get('database')).stores.accounts);
  });

  it('closes in reverse order of opening: relay, producer, probes, hasher, database last', () => {
    expect(embedded.closingOrder()).toEqual(['outbox relay', 'event publisher', 'health probes', 'security events', 'password hasher', 'database']);
  });

  it('generated a signing key pair and refresh secret once, owner-only, with a warning, and reuses them after a restart', async () => {
    const service = await embedded.get('service');
    const tokens = (await signedIn(service.login({ login: 'alice', password: ALICE.password }))).tokens;
    await embedded.close();

    const keysFile = join(config.dataDir, 'signing-keys.json');
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(config.dataDir, 'refresh-token.secret')).mode & 0o777).toBe(0o600);
    const warnings = first.lines.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringMatching(/generated a signing key pair/),
      expect.stringMatching(/generated a refresh-token secret/),
      expect.stringMatching(/generated the key that seals TOTP secrets/),
    ]);
    expect(statSync(join(config.dataDir, 'mfa-encryption.keys')).mode & 0o777).toBe(0o600);
    expect(first.lines.join('\n')).not.toContain(JSON.parse(readFileSync(keysFile, 'utf8')).keys[0].privateJwk.d);

    const keysBefore = readFileSync(keysFile, 'utf8');
    const secretBefore = readFileSync(join(config.dataDir, 'refresh-token.secret'), 'utf8');
    const second = capturingLogger('debug');
    const restarted = app(config, { logger: second.logger });
    const restartedService = await restarted.get('service');
    expect(second.lines.join('\n')).not.toMatch(/generated/);
    expect(readFileSync(keysFile, 'utf8')).toBe(keysBefore);
    expect(readFileSync(join(config.dataDir, 'refresh-token.secret'), 'utf8')).toBe(secretBefore);
    // Signed before the restart, still valid after it (in-memory sessions are gone, so only the signature is checked).
    await expect((await restarted.get('accessTokens')).verify(tokens.accessToken, new Date())).resolves.toMatchObject({ role: 'USER' });
    // The account survived in the PGlite data folder.
    await expect(restartedService.login({ login: 'alice', password: ALICE.password })).resolves.toMatchObject({ username: 'alice' });
  });

  it('uses a configured key-set file, and names the setting when the file is unusable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authsvc-keys-'));
    dirs.push(dir);
    const file = join(dir, 'keys.json');
    writeFileSync(file, '{"keys": []}');
    await expect(app(embeddedConfig({ AUTH_JWT_KEYS_FILE: file })).get('service')).rejects.toSatisfy(
      (e) => e instanceof ConfigError && e.problems[0]?.envVar === 'AUTH_JWT_KEYS_FILE' && /"keys" is empty/.test(e.problems[0].message),
    );
    await expect(app(embeddedConfig({ AUTH_JWT_KEYS_FILE: join(dir, 'missing.json') })).get('service')).rejects.toThrow(
      /AUTH_JWT_KEYS_FILE \(YAML jwt.keysFile\): file .* does not exist/,
    );
  });
});

describe('createApp opens only what is asked for, and a part is replaced in one line', () => {
  it('the relay alone opens the database and the publisher, never the hasher or the key set', async () => {
    const relayOnly = app(embeddedConfig());
    await relayOnly.get('relay');
    expect(relayOnly.closingOrder()).toEqual(['outbox relay', 'event publisher', 'database']);
  });

  it('a test swaps the session store for its own, and every session of the service goes there', async () => {
    class CountingSessionStore extends InMemorySessionStore {
      created = 0;
      override create(session: Parameters<InMemorySessionStore['create']>[0]): Promise<void> {
        this.created += 1;
        return super.create(session);
      }
    }
    const sessions = new CountingSessionStore();

    const swapped = app(embeddedConfig(), { overrides: { sessions } });

    const service = await swapped.get('service');
    await service.registerUser(ALICE);
    const login = await signedIn(service.login({ login: 'alice', password: ALICE.password }));
    expect(sessions.created).toBe(1);
    const { sessionId } = await service.authenticate(login.tokens.accessToken);
    expect(await sessions.isRevoked(sessionId, new Date())).toBe(false);
    expect(await swapped.get('sessions')).toBe(sessions);
  });
});
