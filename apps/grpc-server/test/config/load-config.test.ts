import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.errors.js';
import { loadConfig } from '../../src/config/config-loading.config.js';

const FULL = {
  AUTH_DATABASE_URL: 'postgres://app:pw@db:5432/auth',
  AUTH_JWT_KEYS_FILE: '/run/secrets/keys.json',
  AUTH_SESSION_REFRESH_TOKEN_SECRET_FILE: '/run/secrets/refresh',
};

function problemsOf(env: Record<string, string>, configFile?: string): string[] {
  try {
    loadConfig({ env, configFile });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.envVar} (${p.yamlKey}): ${p.message}`);
    throw error;
  }
  return [];
}

function tempYaml(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'authsvc-config-')), 'config.yaml');
  writeFileSync(file, content);
  return file;
}

describe('loadConfig', () => {
  it('with nothing configured gives embedded defaults on 127.0.0.1:50051', () => {
    const { config, configFile } = loadConfig({ env: {} });
    expect(configFile).toBeUndefined();
    expect(config.grpc).toMatchObject({ host: '127.0.0.1', port: 50051, maxMessageBytes: 65_536 });
    expect(config.http.port).toBe(0);
    expect(config.database).toMatchObject({ url: undefined, migrate: true });
    expect(config.outbox.relayEnabled).toBe(true);
    expect(config.kafka.brokers).toBeUndefined();
    expect(config.dataDir).toBe('./.data');
    // The Connect and gRPC-Web server is off unless web.port is set.
    expect(config.web).toEqual({ host: '127.0.0.1', port: undefined, allowedOrigins: undefined });
  });

  it('parses numbers, flags, durations and lists from environment strings', () => {
    const { config } = loadConfig({
      env: {
        AUTH_GRPC_PORT: '6000',
        AUTH_OUTBOX_RELAY_ENABLED: 'false',
        AUTH_JWT_ACCESS_TOKEN_TTL: '5m',
        AUTH_SESSION_REFRESH_GRACE: '2500',
        AUTH_KAFKA_BROKERS: 'k1:9092, k2:9092',
        AUTH_KAFKA_CREATE_TOPICS: 'yes',
      },
    });
    expect(config.grpc.port).toBe(6000);
    expect(config.outbox.relayEnabled).toBe(false);
    expect(config.jwt.accessTokenTtl).toBe(300_000);
    expect(config.session.refreshGrace).toBe(2_500);
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.kafka.createTopics).toBe(true);
  });

  it('takes the YAML file from AUTH_CONFIG, and the environment wins over it', () => {
    const file = tempYaml('grpc:\n  port: 7000\n  host: 0.0.0.0\nkafka:\n  brokers: [a:1, b:2]\nlog:\n  level: debug\n');
    const { config, configFile } = loadConfig({ env: { AUTH_CONFIG: file, AUTH_GRPC_PORT: '7001' } });
    expect(configFile).toBe(file);
    expect(config.grpc).toMatchObject({ port: 7001, host: '0.0.0.0' });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.log.level).toBe('debug');
  });

  it('requires a second factor of ADMIN by default; mfa.requiredForRoles takes a role list or none, and refuses an unknown role', () => {
    expect(loadConfig({ env: {} }).config.mfa.requiredForRoles).toEqual(['ADMIN']);
    expect(loadConfig({ env: { AUTH_MFA_REQUIRED_FOR_ROLES: 'ADMIN, ARTIST' } }).config.mfa.requiredForRoles).toEqual(['ADMIN', 'ARTIST']);
    expect(loadConfig({ env: { AUTH_MFA_REQUIRED_FOR_ROLES: 'none' } }).config.mfa.requiredForRoles).toEqual([]);
    expect(loadConfig({ env: {}, configFile: tempYaml('mfa:\n  requiredForRoles: []\n') }).config.mfa.requiredForRoles).toEqual([]);
    expect(problemsOf({ AUTH_MFA_REQUIRED_FOR_ROLES: 'ROOT' })).toEqual([
      'AUTH_MFA_REQUIRED_FOR_ROLES (mfa.requiredForRoles): must list roles among USER, ARTIST, ADMIN, or be none',
    ]);
  });

  it('turns passkeys on with webauthn.rpId and webauthn.origins together, each an origin', () => {
    expect(loadConfig({ env: {} }).config.webauthn).toEqual({ rpName: 'authsvc' });
    const on = loadConfig({ env: { AUTH_WEBAUTHN_RP_ID: 'example.com', AUTH_WEBAUTHN_ORIGINS: 'https://example.com,https://app.example.com:8443' } }).config.webauthn;
    expect(on).toEqual({ rpId: 'example.com', rpName: 'authsvc', origins: ['https://example.com', 'https://app.example.com:8443'] });
    expect(problemsOf({ AUTH_WEBAUTHN_RP_ID: 'example.com' })).toEqual(['AUTH_WEBAUTHN_ORIGINS (webauthn.origins): required when webauthn.rpId is set']);
    expect(problemsOf({ AUTH_WEBAUTHN_RP_ID: 'https://example.com', AUTH_WEBAUTHN_ORIGINS: 'example.com/login' })).toEqual([
      'AUTH_WEBAUTHN_RP_ID (webauthn.rpId): must be a domain name, without scheme, port or path',
    ]);
    expect(problemsOf({ AUTH_WEBAUTHN_RP_ID: 'example.com', AUTH_WEBAUTHN_ORIGINS: 'example.com/login' })).toEqual([
      'AUTH_WEBAUTHN_ORIGINS (webauthn.origins): example.com/login is not an origin (scheme://host[:port], no path)',
    ]);
  });

  it('--config wins over AUTH_CONFIG', () => {
    const a = tempYaml('grpc:\n  port: 1111\n');
    const b = tempYaml('grpc:\n  port: 2222\n');
    expect(loadConfig({ env: { AUTH_CONFIG: a }, configFile: b }).config.grpc.port).toBe(2222);
  });

  it('turns migrations off by default when a database URL is given, unless set', () => {
    expect(loadConfig({ env: FULL }).config.database.migrate).toBe(false);
    expect(loadConfig({ env: { ...FULL, AUTH_DATABASE_MIGRATE: 'true' } }).config.database.migrate).toBe(true);
  });

  it('an empty environment variable counts as unset', () => {
    expect(loadConfig({ env: { AUTH_GRPC_PORT: '' } }).config.grpc.port).toBe(50051);
  });

  it('warns about unknown AUTH_ variables', () => {
    expect(loadConfig({ env: { AUTH_GRPC_PROT: '1' } }).warnings).toEqual(['unknown environment variable AUTH_GRPC_PROT ignored']);
  });
});

describe('an invalid or missing setting names the setting both ways', () => {
  const cases: { name: string; env: Record<string, string>; yaml?: string; expected: string[] }[] = [
    { name: 'port out of range', env: { AUTH_GRPC_PORT: '70000' }, expected: ['AUTH_GRPC_PORT (grpc.port): must be at most 65535'] },
    { name: 'port not a number', env: { AUTH_GRPC_PORT: 'abc' }, expected: ['AUTH_GRPC_PORT (grpc.port): must be a whole number'] },
    { name: 'flag not a boolean', env: { AUTH_OUTBOX_RELAY_ENABLED: 'maybe' }, expected: ['AUTH_OUTBOX_RELAY_ENABLED (outbox.relayEnabled): must be true or false'] },
    {
      name: 'duration with a bad unit',
      env: { AUTH_JWT_ACCESS_TOKEN_TTL: '15 minutes' },
      expected: ['AUTH_JWT_ACCESS_TOKEN_TTL (jwt.accessTokenTtl): must be a duration such as 500ms, 10s, 15m, 24h or 30d'],
    },
    { name: 'duration too short', env: { AUTH_JWT_ACCESS_TOKEN_TTL: '10ms' }, expected: ['AUTH_JWT_ACCESS_TOKEN_TTL (jwt.accessTokenTtl): must be at least 1000 ms'] },
    {
      name: 'database URL of the wrong scheme',
      env: { AUTH_DATABASE_URL: 'mysql://x@y/z' },
      expected: ['AUTH_DATABASE_URL (database.url): must be a URL starting with postgres:// or postgresql://'],
    },
    { name: 'redis URL not a URL', env: { AUTH_REDIS_URL: 'localhost:6379' }, expected: ['AUTH_REDIS_URL (redis.url): must be a URL starting with redis:// or rediss://'] },
    { name: 'unknown log level', env: { AUTH_LOG_LEVEL: 'verbose' }, expected: ['AUTH_LOG_LEVEL (log.level): must be one of: fatal, error, warn, info, debug, trace, silent'] },
    { name: 'bcrypt cost too high', env: { AUTH_PASSWORD_BCRYPT_COST: '20' }, expected: ['AUTH_PASSWORD_BCRYPT_COST (password.bcryptCost): must be at most 15'] },
    {
      name: 'refresh secret too short',
      env: { AUTH_SESSION_REFRESH_TOKEN_SECRET: Buffer.alloc(16).toString('base64url') },
      expected: ['AUTH_SESSION_REFRESH_TOKEN_SECRET (session.refreshTokenSecret): must be base64url and decode to at least 32 bytes'],
    },
    { name: 'TLS key without certificate', env: { AUTH_GRPC_TLS_KEY: 'k.pem' }, expected: ['AUTH_GRPC_TLS_CERT (grpc.tlsCert): required when grpc.tlsKey is set'] },
    {
      name: 'SASL mechanism without credentials',
      env: { AUTH_KAFKA_SASL_MECHANISM: 'plain' },
      expected: ['AUTH_KAFKA_SASL_USERNAME (kafka.saslUsername): required when kafka.saslMechanism is set', 'AUTH_KAFKA_SASL_PASSWORD (kafka.saslPassword): required when kafka.saslMechanism is set'],
    },
    {
      name: 'database URL without shared keys and secret',
      env: { AUTH_DATABASE_URL: 'postgres://db/auth' },
      expected: [
        'AUTH_JWT_KEYS_FILE (jwt.keysFile): required when database.url is set (every instance must share the signing keys); create one with `keys generate`',
        'AUTH_SESSION_REFRESH_TOKEN_SECRET (session.refreshTokenSecret): required (or session.refreshTokenSecretFile) when database.url is set (every instance must share it)',
      ],
    },
    { name: 'same port for HTTP and gRPC', env: { AUTH_HTTP_PORT: '50051' }, expected: ['AUTH_HTTP_PORT (http.port): must differ from grpc.port'] },
    { name: 'unknown YAML key', env: {}, yaml: 'grpc:\n  prot: 1\n', expected: ['- (grpc.prot): unknown setting in <file>'] },
    { name: 'wrong type in YAML', env: {}, yaml: 'grpc:\n  port: [1]\n', expected: ['AUTH_GRPC_PORT (grpc.port): must be a whole number'] },
    { name: 'same port for Connect and gRPC', env: { AUTH_WEB_PORT: '50051' }, expected: ['AUTH_WEB_PORT (web.port): must differ from grpc.port and http.port'] },
    {
      name: 'an allowed origin that is no origin',
      env: { AUTH_WEB_PORT: '8080', AUTH_WEB_ALLOWED_ORIGINS: 'http://localhost:5173,https://app.example.com/login' },
      expected: ['AUTH_WEB_ALLOWED_ORIGINS (web.allowedOrigins): https://app.example.com/login is not an origin (scheme://host[:port], no path)'],
    },
  ];

  it.each(cases)('$name', ({ env, yaml, expected }) => {
    const file = yaml === undefined ? undefined : tempYaml(yaml);
    expect(problemsOf(env, file)).toEqual(expected.map((line) => line.replace('<file>', file ?? '')));
  });

  it('an unreadable YAML file names AUTH_CONFIG', () => {
    expect(problemsOf({ AUTH_CONFIG: '/nonexistent/config.yaml' })[0]).toMatch(/^AUTH_CONFIG \(--config\): cannot read YAML file \/nonexistent\/config.yaml/);
  });

  it('the error message lists every problem, one per line', () => {
    expect(() => loadConfig({ env: { AUTH_GRPC_PORT: '-1', AUTH_LOG_LEVEL: 'x' } })).toThrow(
      /Invalid configuration:\n {2}AUTH_GRPC_PORT \(YAML grpc.port\): must be at least 0\n {2}AUTH_LOG_LEVEL/,
    );
  });
});
