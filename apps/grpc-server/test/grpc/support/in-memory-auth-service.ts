import { randomBytes } from 'node:crypto';
import {
  BcryptPasswordHasher,
  InMemoryAccountStore,
  InMemoryLoginThrottle,
  InMemorySessionStore,
  JoseAccessTokens,
  RandomIdGenerator,
  SystemClock,
  createAuthService,
  generateSigningKey,
  type AuthService,
  type RegisterUserInput,
} from '@authsvc/core';

export interface InMemoryService {
  service: AuthService;
  /** Creates an admin the way the operator command does (not reachable over the API). */
  createAdmin(input: RegisterUserInput): Promise<string>;
  close(): Promise<void>;
}

/** Core's real service over its in-memory stores and real crypto (bcrypt at cost 4 to stay fast, unless told). */
export async function inMemoryAuthService(
  options: { maxLoginFailures?: number; hashCost?: number; hashQueueLimit?: number } = {},
): Promise<InMemoryService> {
  const store = new InMemoryAccountStore();
  const hasher = new BcryptPasswordHasher({ cost: options.hashCost ?? 4, threads: 1, maxQueued: options.hashQueueLimit ?? Infinity });
  const tokens = await JoseAccessTokens.create({ issuer: 'authsvc-test', audience: 'authsvc-test', keys: [await generateSigningKey('EdDSA', 'grpc-test')] });
  const service = createAuthService(
    {
      accounts: store.accounts,
      unitOfWork: store.unitOfWork,
      sessions: new InMemorySessionStore(),
      loginThrottle: new InMemoryLoginThrottle({ maxFailures: options.maxLoginFailures ?? 3, windowMs: 60_000 }),
      passwordHasher: hasher,
      tokenSigner: tokens,
      tokenVerifier: tokens,
      publicKeys: tokens,
      clock: new SystemClock(),
      ids: new RandomIdGenerator(),
    },
    { refreshTokenSecret: randomBytes(32) },
  );
  return {
    service,
    createAdmin: async (input) => (await service.createAdmin(input)).id,
    close: () => hasher.close(),
  };
}
