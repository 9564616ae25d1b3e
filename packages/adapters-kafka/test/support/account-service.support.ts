import {
  BcryptPasswordHasher,
  createAuthService,
  generateSigningKey,
  InMemoryRateLimiter,
  InMemorySessionStore,
  JoseAccessTokens,
  RandomIdGenerator,
  type AccountReader,
  type AuthService,
  type PublicProfile,
  type UnitOfWork,
} from '@authsvc/core';
import { uniqueSuffix } from '@authsvc/core-testing';
import type { TestTopics } from './kafka-test-env.support.js';

/** The real service of core on the given account stores, writing events to this run's topics. */
export async function accountService(stores: { accounts: AccountReader; unitOfWork: UnitOfWork }, topics: TestTopics) {
  const tokens = await JoseAccessTokens.create({ issuer: 'https://auth.test', audience: 'test', keys: [await generateSigningKey('EdDSA')] });
  const hasher = new BcryptPasswordHasher({ cost: 4, threads: 1 });
  const service: AuthService = createAuthService(
    {
      accounts: stores.accounts,
      unitOfWork: stores.unitOfWork,
      sessions: new InMemorySessionStore(),
      rateLimiter: new InMemoryRateLimiter(),
      passwordHasher: hasher,
      tokenSigner: tokens,
      tokenVerifier: tokens,
      publicKeys: tokens,
      clock: { now: () => new Date() },
      ids: new RandomIdGenerator(),
    },
    { refreshTokenSecret: new Uint8Array(32).fill(7), topics: { ...topics } },
  );
  const registerUser = (): Promise<PublicProfile> => {
    const suffix = uniqueSuffix();
    return service.registerUser({ username: `u_${suffix}`, email: `u_${suffix}@example.com`, password: 'correct horse battery', gender: 'female', country: 'SE', age: 30 });
  };
  const registerArtist = (): Promise<PublicProfile> => {
    const suffix = uniqueSuffix();
    return service.registerArtist({ username: `a_${suffix}`, email: `a_${suffix}@example.com`, password: 'correct horse battery', author: `Band ${suffix}`, producer: null, country: 'IS', description: 'Ambient.' });
  };
  const setAge = (profile: PublicProfile, age: number) =>
    service.updateUser({ accountId: profile.id, sessionId: 'test-session', role: profile.role }, { id: profile.id, age });
  return { service, registerUser, registerArtist, setAge, close: () => hasher.close() };
}
