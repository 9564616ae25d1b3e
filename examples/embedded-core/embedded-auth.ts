// Embedding the authentication core in another Node application: every port has an in-memory
// implementation, so one call builds a working service in a single process (no database, no broker).
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
} from '@authsvc/core';
import type { AuthService } from '@authsvc/core';

export async function startEmbeddedAuth(options: { bcryptCost?: number } = {}): Promise<{ auth: AuthService; close(): Promise<void> }> {
  const clock = new SystemClock();
  const store = new InMemoryAccountStore({ clock });
  const passwordHasher = new BcryptPasswordHasher({ cost: options.bcryptCost ?? 10 });
  const tokens = await JoseAccessTokens.create({
    issuer: 'https://auth.example.com',
    audience: 'my-app',
    keys: [await generateSigningKey('EdDSA')],
  });
  const auth = createAuthService(
    {
      accounts: store.accounts,
      unitOfWork: store.unitOfWork,
      sessions: new InMemorySessionStore(),
      loginThrottle: new InMemoryLoginThrottle(),
      passwordHasher,
      tokenSigner: tokens,
      tokenVerifier: tokens,
      publicKeys: tokens,
      clock,
      ids: new RandomIdGenerator(),
    },
    { refreshTokenSecret: randomBytes(32) },
  );
  return { auth, close: () => passwordHasher.close() };
}
