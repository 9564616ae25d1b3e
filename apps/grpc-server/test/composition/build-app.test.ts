import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type AccessTokenVerifier } from '@authsvc/core';
import { buildApp, type App } from '../../src/composition/build-app.js';
import { INFRA_TOKENS } from '../../src/composition/infra.tokens.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { capturingLogger } from './support/capturing-logger.js';

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

async function build(config: ReturnType<typeof embeddedConfig>, logger = capturingLogger('debug').logger): Promise<App> {
  const app = await buildApp(config, logger);
  apps.push(app);
  return app;
}

const ALICE = { username: 'alice', email: 'alice@example.com', password: 'correct horse battery', gender: 'female' as const, country: 'NL', age: 30 };

describe('buildApp in embedded mode', () => {
  // PGlite's start-up (initdb in WebAssembly) costs seconds, so one app serves the checks that do not restart it.
  const config = embeddedConfig();
  const first = capturingLogger('debug');
  let app: App;
  beforeAll(async () => {
    app = await buildApp(config, first.logger);
  });
  afterAll(() => app.close());

  it('picks PGlite, in-memory sessions and the log publisher, and the service works end to end', async () => {
    expect(app.adapters.database).toMatch(/^embedded PGlite in /);
    expect(app.adapters.sessions).toBe('in memory (single instance)');
    expect(app.adapters.events).toBe('log (no broker configured)');
    expect(app.health.getStatus()).toBe('SERVING');

    await app.service.registerUser(ALICE);
    const login = await app.service.login({ login: 'ALICE', password: ALICE.password });
    const principal = await app.service.authenticate(login.tokens.accessToken);
    expect(principal).toMatchObject({ accountId: login.accountId });
    expect((await app.service.getJwks()).keys).toHaveLength(1);
    const log = first.lines.join('\n');
    expect(log).not.toContain(ALICE.password);
    expect(log).not.toContain(login.tokens.accessToken);
    expect(log).not.toContain(login.tokens.refreshToken);
  });

  it('registers every port under its explicit token in its own child container', () => {
    for (const token of Object.values(TOKENS)) {
      expect(app.container.isRegistered(token), String(token)).toBe(true);
    }
    expect(app.container.resolve(TOKENS.AuthService)).toBe(app.service);
    expect(app.container.resolve(INFRA_TOKENS.Health)).toBe(app.health);
  });

  it('closes in the order relay, hasher, producer, Redis, database', () => {
    expect(app.closingOrder()).toEqual(['outbox relay', 'health probes', 'password hasher', 'event publisher', 'database']);
  });

  it('generated a signing key pair and refresh secret once, owner-only, with a warning, and reuses them after a restart', async () => {
    const tokens = (await app.service.login({ login: 'alice', password: ALICE.password })).tokens;
    await app.close();

    const keysFile = join(config.dataDir, 'signing-keys.json');
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(config.dataDir, 'refresh-token.secret')).mode & 0o777).toBe(0o600);
    const warnings = first.lines.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringMatching(/generated a signing key pair/), expect.stringMatching(/generated a refresh-token secret/)]);
    expect(first.lines.join('\n')).not.toContain(JSON.parse(readFileSync(keysFile, 'utf8')).keys[0].privateJwk.d);

    const keysBefore = readFileSync(keysFile, 'utf8');
    const secretBefore = readFileSync(join(config.dataDir, 'refresh-token.secret'), 'utf8');
    const second = capturingLogger('debug');
    const app2 = await build(config, second.logger);
    expect(second.lines.join('\n')).not.toMatch(/generated/);
    expect(readFileSync(keysFile, 'utf8')).toBe(keysBefore);
    expect(readFileSync(join(config.dataDir, 'refresh-token.secret'), 'utf8')).toBe(secretBefore);
    // Signed before the restart, still valid after it (in-memory sessions are gone, so only the signature is checked).
    const verifier = app2.container.resolve<AccessTokenVerifier>(TOKENS.AccessTokenVerifier);
    await expect(verifier.verify(tokens.accessToken, new Date())).resolves.toMatchObject({ role: 'USER' });
    // The account survived in the PGlite data folder.
    await expect(app2.service.login({ login: 'alice', password: ALICE.password })).resolves.toMatchObject({ username: 'alice' });
  });

  it('uses a configured key-set file, and names the setting when the file is unusable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authsvc-keys-'));
    dirs.push(dir);
    const file = join(dir, 'keys.json');
    writeFileSync(file, '{"keys": []}');
    await expect(build(embeddedConfig({ AUTH_JWT_KEYS_FILE: file }))).rejects.toSatisfy(
      (e) => e instanceof ConfigError && e.problems[0]?.envVar === 'AUTH_JWT_KEYS_FILE' && /"keys" is empty/.test(e.problems[0].message),
    );
    await expect(build(embeddedConfig({ AUTH_JWT_KEYS_FILE: join(dir, 'missing.json') }))).rejects.toThrow(/AUTH_JWT_KEYS_FILE \(YAML jwt.keysFile\): file .* does not exist/);
  });
});
