import { beforeEach, describe, expect, it } from 'vitest';
import { BcryptPasswordHasher, PhcPasswordHasher } from '../../src/index.js';
import { rejectionOf, signedIn } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, ObservedHasher, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const MAX_FAILURES = 3;
const WINDOW_MS = 60_000;

describe('Login', () => {
  let h: Harness;
  let observed: ObservedHasher;
  beforeEach(async () => {
    observed = new ObservedHasher(hasher);
    h = await Harness.create({ hasher: observed, limits: { loginPerAddress: { max: MAX_FAILURES, windowMs: WINDOW_MS } } });
  });

  it('signs in with the username or the email, in any case, and returns id, username, role and a Bearer pair', async () => {
    const input = h.userInput({ username: 'Ada.L', email: 'Ada@Example.com' });
    const profile = await h.service.registerUser(input);
    for (const login of ['Ada.L', 'ada.l', 'ADA@example.COM']) {
      const result = await signedIn(h.service.login({ login, password: PASSWORD }));
      expect(result).toMatchObject({ accountId: profile.id, username: 'Ada.L', role: 'USER', tokens: { tokenType: 'Bearer' } });
      const claims = await h.service.validateToken({ accessToken: result.tokens.accessToken });
      expect(claims).toMatchObject({ accountId: profile.id, role: 'USER' });
    }
  });

  it('starts a new session per login and leaves the others alive (two devices)', async () => {
    const profile = await h.service.registerUser(h.userInput());
    const first = await signedIn(h.service.login({ login: profile.username, password: PASSWORD }));
    const second = await signedIn(h.service.login({ login: profile.username, password: PASSWORD }));
    const a = await h.service.validateToken({ accessToken: first.tokens.accessToken });
    const b = await h.service.validateToken({ accessToken: second.tokens.accessToken });
    expect(a.sessionId).not.toBe(b.sessionId);
    await h.service.refreshToken({ refreshToken: first.tokens.refreshToken });
    await h.service.refreshToken({ refreshToken: second.tokens.refreshToken });
  });

  it('gives the access token the configured lifetime and the refresh token the session lifetime', async () => {
    const profile = await h.service.registerUser(h.userInput());
    const now = h.clock.now().getTime();
    const { tokens } = await signedIn(h.service.login({ login: profile.username, password: PASSWORD }));
    expect(Math.abs(tokens.accessTokenExpiresAt.getTime() - (now + 15 * 60_000))).toBeLessThan(1000);
    expect(tokens.refreshTokenExpiresAt.getTime()).toBe(now + 30 * 24 * 3_600_000);
  });

  it('never lets an access token outlive its session', async () => {
    const short = await Harness.create({ hasher, settings: { accessTokenTtlMs: 60 * 60_000, sessionTtlMs: 10 * 60_000 } });
    const profile = await short.service.registerUser(short.userInput());
    const now = short.clock.now().getTime();
    const { tokens } = await signedIn(short.service.login({ login: profile.username, password: PASSWORD }));
    expect(tokens.accessTokenExpiresAt.getTime()).toBeLessThanOrEqual(now + 10 * 60_000);
    expect(tokens.accessTokenExpiresAt.getTime()).toBeGreaterThan(now + 10 * 60_000 - 1000);
  });

  it('fails an unknown account and a wrong password with the same error, after a verification against a hash of the same cost', async () => {
    const profile = await h.service.registerUser(h.userInput());
    const wrongPassword = await rejectionOf(h.service.login({ login: profile.username, password: 'wrong password' }));
    const unknownAccount = await rejectionOf(h.service.login({ login: 'nobody_here', password: 'wrong password' }));
    expect(wrongPassword).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(unknownAccount).toMatchObject({ code: 'INVALID_CREDENTIALS', message: (wrongPassword as Error).message });
    expect(observed.verifiedAgainst).toHaveLength(2);
    const [real, dummy] = observed.verifiedAgainst;
    expect(dummy).not.toBe(real);
    expect(dummy!.slice(0, 7)).toBe(real!.slice(0, 7)); // "$2b$04$": same algorithm and cost, so the same time
  });

  it('refuses a password over 72 bytes as a validation error on field password, whether or not the account exists', async () => {
    const profile = await h.service.registerUser(h.userInput());
    for (const login of [profile.username, 'nobody_here']) {
      const error = await rejectionOf(h.service.login({ login, password: 'x'.repeat(73) }));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'password' }] });
    }
    expect(observed.verifiedAgainst).toEqual([]);
  });

  it('reports an empty login on field login', async () => {
    const error = await rejectionOf(h.service.login({ login: '', password: PASSWORD }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'login' }] });
  });

  it(`throttles after ${MAX_FAILURES} failures: LOGIN_THROTTLED with a retry-after even with the right password, until the window passes`, async () => {
    const profile = await h.service.registerUser(h.userInput());
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      await expectDomainError(h.service.login({ login: profile.username, password: 'wrong password' }), 'INVALID_CREDENTIALS');
    }
    const throttled = await rejectionOf(h.service.login({ login: profile.username, password: PASSWORD }));
    expect(throttled).toMatchObject({ code: 'LOGIN_THROTTLED' });
    const retryAfterMs = (throttled as { retryAfterMs: number }).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
    // The email is a login name of its own, counted apart (a count never depends on which account a name reaches, or
    // it would tell whether one exists): the owner signs in with it, and that does not lift the limit on the username.
    await expect(h.service.login({ login: profile.email, password: PASSWORD })).resolves.toMatchObject({ accountId: profile.id });
    await expectDomainError(h.service.login({ login: profile.username, password: PASSWORD }), 'LOGIN_THROTTLED');

    h.clock.advance(retryAfterMs);
    await expect(h.service.login({ login: profile.username, password: PASSWORD })).resolves.toMatchObject({ accountId: profile.id });
  });

  it('resets the failure count after a successful login', async () => {
    const profile = await h.service.registerUser(h.userInput());
    const fail = () => expectDomainError(h.service.login({ login: profile.username, password: 'wrong password' }), 'INVALID_CREDENTIALS');
    for (let i = 0; i < MAX_FAILURES - 1; i += 1) await fail();
    await signedIn(h.service.login({ login: profile.username, password: PASSWORD }));
    for (let i = 0; i < MAX_FAILURES - 1; i += 1) await fail();
    await expect(h.service.login({ login: profile.username, password: PASSWORD })).resolves.toBeDefined();
  });

  it('throttles guesses at an unknown login name too, under that name', async () => {
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      await expectDomainError(h.service.login({ login: 'Ghost', password: 'guess-guess' }), 'INVALID_CREDENTIALS');
    }
    await expectDomainError(h.service.login({ login: 'ghost', password: 'guess-guess' }), 'LOGIN_THROTTLED');
    await expectDomainError(h.service.login({ login: 'another_ghost', password: 'guess-guess' }), 'INVALID_CREDENTIALS');
  });

  it('re-hashes a hash made with a lower cost on the next successful login, without writing an event', async () => {
    const stronger = new BcryptPasswordHasher({ cost: 5, threads: 1 });
    try {
      const upgraded = await Harness.create({ hasher: stronger });
      const oldHash = await hasher.hash(PASSWORD); // cost 4
      const profile = await upgraded.service.registerUser(upgraded.userInput());
      await upgraded.store.unitOfWork.run((scope) => scope.accounts.update(profile.id, { passwordHash: oldHash }, new Date()));
      const eventsBefore = (await upgraded.events(profile.id)).length;

      await signedIn(upgraded.service.login({ login: profile.username, password: PASSWORD }));
      const rehashed = (await upgraded.deps.accounts.findById(profile.id))!.passwordHash;
      expect(rehashed).toMatch(/^\$2[aby]\$05\$/);
      expect(await stronger.verify(PASSWORD, rehashed)).toBe(true);
      expect(await upgraded.events(profile.id)).toHaveLength(eventsBefore);
      await signedIn(upgraded.service.login({ login: profile.username, password: PASSWORD }));
    } finally {
      await stronger.close();
    }
  });

  it('re-hashes a bcrypt hash (as the Go service wrote it) to the configured argon2id on the next successful login', async () => {
    const argon2 = new PhcPasswordHasher({ algorithm: 'argon2id', argon2id: { memoryKiB: 64, iterations: 1, parallelism: 1 }, threads: 1 });
    try {
      const migrated = await Harness.create({ hasher: argon2 });
      const profile = await migrated.service.registerUser(migrated.userInput());
      // x/crypto/bcrypt's test vector: password "allmine", $2a$, cost 10.
      const goHash = '$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga';
      await migrated.store.unitOfWork.run((scope) => scope.accounts.update(profile.id, { passwordHash: goHash }, new Date()));

      await migrated.service.login({ login: profile.username, password: 'allmine' });
      const rehashed = (await migrated.deps.accounts.findById(profile.id))!.passwordHash;
      expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
      expect(argon2.needsRehash(rehashed)).toBe(false);
      await expect(migrated.service.login({ login: profile.username, password: 'allmine' })).resolves.toBeDefined();
      expect((await migrated.deps.accounts.findById(profile.id))!.passwordHash).toBe(rehashed);
    } finally {
      await argon2.close();
    }
  });

  it('with argon2id, registers and signs in with a 1,024-byte password and refuses 1,025; with bcrypt, refuses 73', async () => {
    const argon2 = new PhcPasswordHasher({ algorithm: 'argon2id', argon2id: { memoryKiB: 64, iterations: 1, parallelism: 1 }, threads: 1 });
    try {
      const long = await Harness.create({ hasher: argon2 });
      const password = 'p'.repeat(1024);
      const profile = await long.service.registerUser(long.userInput({ password }));
      await expect(long.service.login({ login: profile.username, password })).resolves.toMatchObject({ accountId: profile.id });
      await expectDomainError(long.service.login({ login: profile.username, password: password + 'p' }), 'VALIDATION_FAILED');
      await expectDomainError(long.service.registerUser(long.userInput({ password: password + 'p' })), 'VALIDATION_FAILED');
    } finally {
      await argon2.close();
    }
    await expectDomainError(h.service.registerUser(h.userInput({ password: 'p'.repeat(73) })), 'VALIDATION_FAILED');
    await expectDomainError(h.service.login({ login: 'anyone', password: 'p'.repeat(73) }), 'VALIDATION_FAILED');
  });
});
