import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { redactConfig, redactUrl } from '../../src/config/redaction.config.js';
import { configMarkdownTable } from '../../src/config/config-table.codec.js';
import { OPTION_ENTRIES } from '../../src/config/option-table.config.js';

const SECRET = Buffer.alloc(32, 7).toString('base64url');

describe('redactConfig', () => {
  const { config } = loadConfig({
    env: {
      AUTH_DATABASE_URL: 'postgres://app:db-pass-123@db.internal:5432/auth?sslpassword=ssl-pass-9',
      AUTH_REDIS_URL: 'redis://:redis-pass-456@cache:6379/0',
      AUTH_REDIS_PASSWORD: 'other-redis-pass',
      AUTH_KAFKA_BROKERS: 'k:9092',
      AUTH_KAFKA_SASL_MECHANISM: 'plain',
      AUTH_KAFKA_SASL_USERNAME: 'svc',
      AUTH_KAFKA_SASL_PASSWORD: 'sasl-pass-789',
      AUTH_SESSION_REFRESH_TOKEN_SECRET: SECRET,
      AUTH_JWT_KEYS_FILE: '/keys.json',
    },
  });
  const printed = stringify(redactConfig(config)) + JSON.stringify(redactConfig(config));

  it('prints no secret', () => {
    for (const secret of ['db-pass-123', 'ssl-pass-9', 'redis-pass-456', 'other-redis-pass', 'sasl-pass-789', SECRET]) {
      expect(printed).not.toContain(secret);
    }
  });

  it('keeps URLs readable with the password replaced, and marks set secrets', () => {
    const out = redactConfig(config) as Record<string, Record<string, unknown>>;
    expect(out.database!.url).toBe('postgres://app:***@db.internal:5432/auth?sslpassword=***');
    expect(out.redis!.url).toBe('redis://:***@cache:6379/0');
    expect(out.kafka!.saslPassword).toBe('***');
    expect(out.kafka!.saslUsername).toBe('svc');
    expect(out.session!.refreshTokenSecret).toBe('***');
  });

  it('shows an unset secret as null, not as ***', () => {
    const out = redactConfig(loadConfig({ env: {} }).config) as Record<string, Record<string, unknown>>;
    expect(out.session!.refreshTokenSecret).toBeNull();
  });

  it('never leaks an unparseable URL', () => {
    expect(redactUrl('not a url with pass')).toBe('***');
  });
});

describe('configMarkdownTable', () => {
  it('has one row per option, with env var, YAML key and default', () => {
    const table = configMarkdownTable();
    expect(table.split('\n')).toHaveLength(OPTION_ENTRIES.length + 2);
    expect(table).toContain('| `AUTH_GRPC_PORT` | `grpc.port` | `50051` |');
    expect(table).toContain('| `AUTH_DATABASE_MIGRATE` | `database.migrate` | true in embedded mode, false when database.url is set |');
  });
});
