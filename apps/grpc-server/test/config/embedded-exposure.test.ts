import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDir } from '@authsvc/test-support';
import { runServerCommand } from '@authsvc/test-support/server';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.command.js';
import { ConfigError } from '../../src/config/config.errors.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { checkServeRules, isLoopbackHost } from '../../src/config/config.rules.js';
import { createLogger } from '../../src/logging/logger.factory.js';

const FULL = {
  AUTH_DATABASE_URL: 'postgres://app:pw@db:5432/auth',
  AUTH_JWT_KEYS_FILE: '/run/secrets/keys.json',
  AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: '/run/secrets/refresh',
};

const serveProblems = (env: Record<string, string>): string[] =>
  checkServeRules(loadConfig({ env }).config).map((p) => `${p.envVar}: ${p.message}`);

describe('embedded mode on a public address', () => {
  it.each(['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('counts %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', 'authsvc.example.com', 'localhost.example.com'])(
    'counts %s as reachable from elsewhere',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );

  it('refuses embedded mode with generated secrets on a non-loopback gRPC address, naming the setting that allows it', () => {
    const problems = serveProblems({ AUTH_GRPC_HOST: '0.0.0.0' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_ALLOW_INSECURE_EMBEDDED: embedded mode .*signing key and refresh-token secret .*grpc\.host 0\.0\.0\.0/);
    expect(serveProblems({ AUTH_GRPC_HOST: '::' })).toHaveLength(1);
  });

  it('refuses a public HTTP side port in that setup too, but not a side port that is off', () => {
    expect(serveProblems({ AUTH_HTTP_HOST: '0.0.0.0', AUTH_HTTP_PORT: '9464' })[0]).toContain('http.host 0.0.0.0');
    expect(serveProblems({ AUTH_HTTP_HOST: '0.0.0.0' })).toEqual([]);
  });

  it('lets it through on loopback, with the explicit setting, with managed secrets, and in full mode', () => {
    expect(serveProblems({})).toEqual([]);
    expect(serveProblems({ AUTH_GRPC_HOST: 'localhost', AUTH_HTTP_HOST: '::1', AUTH_HTTP_PORT: '9464' })).toEqual([]);
    expect(serveProblems({ AUTH_GRPC_HOST: '0.0.0.0', AUTH_ALLOW_INSECURE_EMBEDDED: 'true' })).toEqual([]);
    expect(
      serveProblems({ AUTH_GRPC_HOST: '0.0.0.0', AUTH_JWT_KEYS_FILE: '/run/keys.json', AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: '/run/refresh' }),
    ).toEqual([]);
    expect(serveProblems({ ...FULL, AUTH_GRPC_HOST: '0.0.0.0', AUTH_HTTP_HOST: '0.0.0.0', AUTH_HTTP_PORT: '9464' })).toEqual([]);
  });

  it('still refuses when only one of the two secrets is generated', () => {
    expect(serveProblems({ AUTH_GRPC_HOST: '0.0.0.0', AUTH_JWT_KEYS_FILE: '/run/keys.json' })[0]).toMatch(/generated refresh-token secret serves/);
  });

  it('startServer refuses before it creates anything: no data folder, no generated key', async () => {
    const dir = temporaryDir();
    try {
      const dataDir = join(dir.path, 'data');
      const config = loadConfig({ env: { AUTH_DATA_DIR: dataDir, AUTH_GRPC_HOST: '0.0.0.0', AUTH_GRPC_PORT: '0' } }).config;
      await expect(startServer(config, createLogger({ level: 'silent' }))).rejects.toBeInstanceOf(ConfigError);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('the real `serve` exits 2 with the reason on stderr; loading the same settings is not refused (the probe and other commands read them)', async () => {
    const dir = temporaryDir();
    try {
      const env = { AUTH_DATA_DIR: join(dir.path, 'data'), AUTH_GRPC_HOST: '0.0.0.0', AUTH_GRPC_PORT: '0' };
      const served = await runServerCommand(['serve'], { env });
      expect(served.code).toBe(2);
      expect(served.stderr).toContain('AUTH_ALLOW_INSECURE_EMBEDDED (YAML allowInsecureEmbedded): embedded mode');
      const printed = await runServerCommand(['serve', '--print-config'], { env });
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout).toContain('allowInsecureEmbedded: false');
    } finally {
      dir.remove();
    }
  }, 120_000);
});
