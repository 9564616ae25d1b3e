import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BcryptPasswordHasher,
  InMemoryLoginThrottle,
  InMemorySessionStore,
  JoseAccessTokens,
  RandomIdGenerator,
  SystemClock,
  createAuthService,
  generateSigningKey,
  type AuthService,
  type Caller,
} from '@authsvc/core';
import { uniqueSuffix } from '@authsvc/core-testing';
import { createPostgresStores } from '../src/postgres-stores.factory.js';
import type { DatabaseHandle } from '../src/connection/database-handle.types.js';
import { availableBackends, createMigratedBackend, truncateAll, type Backend } from './support/backends.support.js';

const PASSWORD = 'correct horse battery';

// The role use cases of core on the real store: the id spelling PostgreSQL forgives (a uuid column matches any
// letter case) must not reach the session store, and the last-admin guard must hold with truly concurrent
// transactions (PGlite runs one at a time; the server does not).
describe.each(await availableBackends())('SetRole and RevokeSessions on %s', (backendName) => {
  let backend: Backend;
  let handle: DatabaseHandle;
  let service: AuthService;
  const hasher = new BcryptPasswordHasher({ cost: 4, threads: 1 });
  beforeAll(async () => {
    ({ backend, handle } = await createMigratedBackend(backendName));
    const stores = createPostgresStores(handle);
    const tokens = await JoseAccessTokens.create({ issuer: 'test', audience: 'test', keys: [await generateSigningKey('EdDSA')] });
    service = createAuthService(
      {
        accounts: stores.accounts,
        unitOfWork: stores.unitOfWork,
        sessions: new InMemorySessionStore(),
        loginThrottle: new InMemoryLoginThrottle({ maxFailures: 10, windowMs: 60_000 }),
        passwordHasher: hasher,
        tokenSigner: tokens,
        tokenVerifier: tokens,
        publicKeys: tokens,
        clock: new SystemClock(),
        ids: new RandomIdGenerator(),
      },
      { refreshTokenSecret: new Uint8Array(32).fill(7) },
    );
  });
  beforeEach(async () => truncateAll(handle));
  afterAll(async () => {
    await hasher.close();
    await backend.close();
  });

  async function signedIn(kind: 'admin' | 'user'): Promise<{ id: string; caller: Caller; accessToken: string }> {
    const name = `${kind}_${uniqueSuffix()}`;
    const input = { username: name, email: `${name}@example.com`, password: PASSWORD, gender: 'female', country: 'SE', age: 40 } as const;
    const profile = kind === 'admin' ? await service.createAdmin(input) : await service.registerUser(input);
    const { tokens } = await service.login({ login: name, password: PASSWORD });
    return { id: profile.id, caller: await service.authenticate(tokens.accessToken), accessToken: tokens.accessToken };
  }

  it('an admin demoted by its id in upper case loses its sessions: its ADMIN token is refused', async () => {
    const admin = await signedIn('admin');
    const demoted = await signedIn('admin');
    const profile = await service.setRole(admin.caller, { id: demoted.id.toUpperCase(), role: 'USER' });
    expect(profile).toMatchObject({ id: demoted.id, role: 'USER' });
    await expect(service.validateToken({ accessToken: demoted.accessToken })).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
  });

  it('RevokeSessions by an admin with an id in upper case revokes every session of the account', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    await service.login({ login: (await service.getUser(admin.caller, { id: user.id })).username, password: PASSWORD });
    expect(await service.revokeSessions(admin.caller, { id: user.id.toUpperCase() })).toEqual({ revoked: 2 });
    await expect(service.validateToken({ accessToken: user.accessToken })).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
  });

  it('of two admins demoting each other at once, exactly one succeeds and one admin remains', async () => {
    for (let round = 0; round < 5; round += 1) {
      await truncateAll(handle);
      const [first, second] = [await signedIn('admin'), await signedIn('admin')];
      const results = await Promise.allSettled([
        service.setRole(first.caller, { id: second.id, role: 'USER' }),
        service.setRole(second.caller, { id: first.id, role: 'USER' }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'LAST_ADMIN' } });
      const { count } = await handle.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('role', '=', 'ADMIN')
        .executeTakeFirstOrThrow();
      expect(Number(count)).toBe(1);
    }
  });

  it('the last admin cannot demote itself', async () => {
    const admin = await signedIn('admin');
    await expect(service.setRole(admin.caller, { id: admin.id, role: 'USER' })).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    await expect(service.validateToken({ accessToken: admin.accessToken })).resolves.toMatchObject({ role: 'ADMIN' });
  });
});
