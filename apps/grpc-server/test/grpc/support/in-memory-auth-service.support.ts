import { randomBytes } from 'node:crypto';
import { InMemoryAccountStore, InMemorySecondFactorStore, JoseAccessTokens, SecretBox, generateSigningKey, type AuthService, type RegisterUserInput } from '@authsvc/core';
import { createApp } from '../../../src/composition/app.factory.js';
import { loadConfig } from '../../../src/config/config-loading.config.js';
import { createLogger } from '../../../src/logging/logger.factory.js';

export interface InMemoryService {
  service: AuthService;
  /** Creates an admin the way the operator command does (not reachable over the API). */
  createAdmin(input: RegisterUserInput): Promise<string>;
  close(): Promise<void>;
}

/**
 * The app's own composition with the account store in memory and a key set made for the test, so nothing touches
 * the disk: real bcrypt (cost 4 unless told), real tokens, in-memory sessions and attempt counters (no Redis configured).
 */
export async function inMemoryAuthService(
  options: { maxLoginFailures?: number; hashCost?: number; hashQueueLimit?: number; env?: Record<string, string> } = {},
): Promise<InMemoryService> {
  const { config } = loadConfig({
    env: {
      AUTH_JWT_ISSUER: 'authsvc-test',
      AUTH_JWT_AUDIENCE: 'authsvc-test',
      AUTH_PASSWORD_BCRYPT_COST: String(options.hashCost ?? 4),
      AUTH_PASSWORD_HASH_THREADS: '1',
      AUTH_PASSWORD_HASH_QUEUE_LIMIT: String(options.hashQueueLimit ?? 100_000),
      AUTH_THROTTLE_MAX_FAILURES: String(options.maxLoginFailures ?? 3),
      AUTH_THROTTLE_WINDOW: '60s',
      // Every client of a test is 127.0.0.1: the per-address limits would count a whole file as one client.
      AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS: '100000',
      AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS: '100000',
      // The role policy (default ADMIN) off: tests sign admins in with a password; role-policy tests set it.
      AUTH_MFA_REQUIRED_FOR_ROLES: 'none',
      AUTH_WEBAUTHN_RP_ID: 'localhost',
      AUTH_WEBAUTHN_ORIGINS: 'http://localhost:8080',
      ...options.env,
    },
  });
  const store = new InMemoryAccountStore();
  const app = createApp(config, {
    logger: createLogger({ level: 'silent' }),
    overrides: {
      accounts: store.accounts,
      unitOfWork: store.unitOfWork,
      relayStore: store.relayStore,
      secondFactors: new InMemorySecondFactorStore(),
      secretBox: new SecretBox([{ id: 'grpc-test', key: randomBytes(32) }]),
      securityEvents: store.securityEvents,
      accessTokens: await JoseAccessTokens.create({ issuer: 'authsvc-test', audience: 'authsvc-test', keys: [await generateSigningKey('EdDSA', 'grpc-test')] }),
      refreshTokenSecret: randomBytes(32),
    },
  });
  const service = await app.get('service');
  return {
    service,
    createAdmin: async (input) => (await service.createAdmin(input)).id,
    close: () => app.close(),
  };
}
