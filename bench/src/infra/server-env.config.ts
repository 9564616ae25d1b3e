import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { serverCommandOutput } from '@authsvc/test-support/server';

/**
 * The AUTH_* settings of a full-mode bench server (PostgreSQL, Redis, Kafka, migrations at start), with a signing-key
 * file generated for it in `dataDir`. Every key in Redis carries `<runId>:`, so the run can remove what it wrote.
 */
export async function fullModeServerEnv(args: { dataDir: string; databaseUrl: string; runId: string; kafkaBrokers: string }): Promise<Record<string, string>> {
  const keysFile = join(args.dataDir, 'signing-keys.json');
  await serverCommandOutput(['keys', 'generate', '--out', keysFile], { entry: 'dist' });
  return {
    AUTH_DATA_DIR: args.dataDir,
    AUTH_GRPC_HOST: '127.0.0.1',
    AUTH_DATABASE_URL: args.databaseUrl,
    AUTH_DATABASE_MIGRATE: 'true',
    AUTH_JWT_KEYS_FILE: keysFile,
    AUTH_SESSION_REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    AUTH_REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    AUTH_REDIS_KEY_PREFIX: `${args.runId}:`,
    AUTH_KAFKA_BROKERS: args.kafkaBrokers,
    AUTH_KAFKA_CREATE_TOPICS: 'true',
    // The load generator is one address standing for many clients: per-address limits would cap the storms it measures.
    AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS: '1000000',
    AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS: '1000000',
  };
}
