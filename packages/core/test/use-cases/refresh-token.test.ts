import { beforeEach, describe, expect, it } from 'vitest';
import { InMemorySecondFactorStore, RefreshTokenCodec, dependencyUnavailable } from '../../src/index.js';
import { testSessionId } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, TEST_REFRESH_SECRET, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const GRACE_MS = 10_000;

describe('RefreshToken', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, settings: { refreshGraceMs: GRACE_MS } });
  });

  it('rotates: each refresh returns a new pair for the same session, and needs no access token', async () => {
    const { tokens, caller } = await h.signedInUser();
    h.clock.advance(20 * 60_000); // the access token has expired: the usual reason to refresh
    await expectDomainError(h.service.validateToken({ accessToken: tokens.accessToken }), 'ACCESS_TOKEN_INVALID');

    const next = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    expect(next.refreshTokenExpiresAt).toEqual(tokens.refreshTokenExpiresAt); // rotation never extends the session
    const claims = await h.service.validateToken({ accessToken: next.accessToken });
    expect(claims).toMatchObject({ accountId: caller!.accountId, sessionId: caller!.sessionId, role: 'USER' });

    const third = await h.service.refreshToken({ refreshToken: next.refreshToken });
    expect(third.refreshToken).not.toBe(next.refreshToken);
  });

  it('a consumed refresh token presented again after the grace window revokes its whole family', async () => {
    const { tokens } = await h.signedInUser();
    const next = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    h.clock.advance(GRACE_MS + 1);

    await expectDomainError(h.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_REUSED');
    // The legitimate successor dies with the family, and so do the session's access tokens.
    await expectDomainError(h.service.refreshToken({ refreshToken: next.refreshToken }), 'REFRESH_TOKEN_INVALID');
    await expectDomainError(h.service.validateToken({ accessToken: next.accessToken }), 'SESSION_REVOKED');
    await expectDomainError(h.service.authenticate(next.accessToken), 'SESSION_REVOKED');
  });

  it('reuse revokes only that session: the account\'s other sessions live on', async () => {
    const { profile, tokens } = await h.signedInUser();
    const other = await h.signIn(profile, 'correct horse battery');
    await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    h.clock.advance(GRACE_MS + 1);
    await expectDomainError(h.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_REUSED');
    await expect(h.service.validateToken({ accessToken: other.tokens.accessToken })).resolves.toBeDefined();
  });

  it('within the grace window, the immediate predecessor returns the same successor and revokes nothing', async () => {
    const { tokens } = await h.signedInUser();
    const first = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    h.clock.advance(GRACE_MS - 1);
    const again = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    expect(again.refreshToken).toBe(first.refreshToken);
    await expect(h.service.validateToken({ accessToken: again.accessToken })).resolves.toBeDefined();
    await expect(h.service.validateToken({ accessToken: first.accessToken })).resolves.toBeDefined();
    // The successor is still the live token.
    await expect(h.service.refreshToken({ refreshToken: first.refreshToken })).resolves.toBeDefined();
  });

  it('the grace window covers only the immediate predecessor: an older token is reuse', async () => {
    const { tokens } = await h.signedInUser();
    const second = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    await h.service.refreshToken({ refreshToken: second.refreshToken });
    await expectDomainError(h.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_REUSED');
  });

  it('with a grace window of 0, presenting the predecessor at once is reuse', async () => {
    const strict = await Harness.create({ hasher, settings: { refreshGraceMs: 0 } });
    const { tokens } = await strict.signedInUser();
    const next = await strict.service.refreshToken({ refreshToken: tokens.refreshToken });
    await expectDomainError(strict.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_REUSED');
    await expectDomainError(strict.service.refreshToken({ refreshToken: next.refreshToken }), 'REFRESH_TOKEN_INVALID');
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'not-a-token'],
    ['an access token', null],
  ])('rejects %s as REFRESH_TOKEN_INVALID', async (_name, value) => {
    const { tokens } = await h.signedInUser();
    await expectDomainError(h.service.refreshToken({ refreshToken: value ?? tokens.accessToken }), 'REFRESH_TOKEN_INVALID');
  });

  it('rejects a token forged with another secret, and a token with a tampered counter', async () => {
    const { tokens, caller } = await h.signedInUser();
    const forger = new RefreshTokenCodec(new Uint8Array(32).fill(1));
    await expectDomainError(h.service.refreshToken({ refreshToken: forger.encode(caller!.sessionId, 1) }), 'REFRESH_TOKEN_INVALID');
    const genuine = new RefreshTokenCodec(TEST_REFRESH_SECRET).decode(tokens.refreshToken)!;
    const flipped = Buffer.from(tokens.refreshToken, 'base64url');
    flipped[19]! ^= 1; // last byte of the counter
    expect(genuine.counter).toBe(0);
    await expectDomainError(h.service.refreshToken({ refreshToken: flipped.toString('base64url') }), 'REFRESH_TOKEN_INVALID');
  });

  it('rejects the refresh token of an expired session', async () => {
    const { tokens } = await h.signedInUser();
    h.clock.advance(30 * 24 * 3_600_000 + 1);
    await expectDomainError(h.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
  });

  it('puts the account\'s current role in the new access token', async () => {
    const { profile, tokens } = await h.signedInUser();
    // A role written straight to the store (SetRole would also revoke the session).
    await h.store.unitOfWork.run((scope) => scope.accounts.update(profile.id, { role: 'ADMIN' }, h.clock.now()));
    const next = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    expect(await h.service.validateToken({ accessToken: next.accessToken })).toMatchObject({ role: 'ADMIN' });
  });

  it('revokes the session and refuses when the account no longer exists', async () => {
    const hidden = new Set<string>();
    const gone = await Harness.create({
      hasher,
      override: (deps) => ({
        accounts: {
          findById: async (id) => (hidden.has(id) ? null : deps.accounts.findById(id)),
          findByLogin: (login) => deps.accounts.findByLogin(login),
          search: (query, limit) => deps.accounts.search(query, limit),
          deletedBefore: (cutoff, limit) => deps.accounts.deletedBefore(cutoff, limit),
        },
      }),
    });
    const { profile, tokens } = await gone.signedInUser();
    hidden.add(profile.id);
    await expectDomainError(gone.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    await expectDomainError(gone.service.validateToken({ accessToken: tokens.accessToken }), 'SESSION_REVOKED');
  });

  it('reads the second-factor store only for a session whose start recorded an assurance or did not say', async () => {
    class CountingFactors extends InMemorySecondFactorStore {
      reads = 0;
      override async sessionAssurance(sessionId: string, now: Date) {
        this.reads += 1;
        return super.sessionAssurance(sessionId, now);
      }
    }
    const factors = new CountingFactors();
    const counted = await Harness.create({ hasher, settings: { refreshGraceMs: GRACE_MS }, override: () => ({ secondFactors: factors }) });
    const { profile, tokens } = await counted.signedInUser();
    const next = await counted.service.refreshToken({ refreshToken: tokens.refreshToken });
    expect((await counted.service.validateToken({ accessToken: next.accessToken })).amr).toEqual(['pwd']);
    expect(factors.reads).toBe(0);

    // A session started without saying (by a store or a release that did not record it) is looked up, as before.
    const now = counted.clock.now();
    const unsaid = { sessionId: testSessionId(), accountId: profile.id, createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000) };
    await counted.sessions.create(unsaid);
    await factors.putSessionAssurance(unsaid.sessionId, { amr: ['pwd', 'otp', 'mfa'], authTime: now }, unsaid.expiresAt);
    const refreshed = await counted.service.refreshToken({ refreshToken: new RefreshTokenCodec(TEST_REFRESH_SECRET).encode(unsaid.sessionId, 0) });
    expect((await counted.service.validateToken({ accessToken: refreshed.accessToken })).amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(factors.reads).toBe(1);
  });

  it('consumes nothing when the account store is down: the same token works on a retry long after the grace window', async () => {
    let down = false;
    const outage = await Harness.create({
      hasher,
      settings: { refreshGraceMs: GRACE_MS },
      override: (deps) => ({
        accounts: {
          findById: async (id) => (down ? Promise.reject(dependencyUnavailable('postgres')) : deps.accounts.findById(id)),
          findByLogin: (login) => deps.accounts.findByLogin(login),
          search: (query, limit) => deps.accounts.search(query, limit),
          deletedBefore: (cutoff, limit) => deps.accounts.deletedBefore(cutoff, limit),
        },
      }),
    });
    const { tokens } = await outage.signedInUser();
    down = true;
    await expectDomainError(outage.service.refreshToken({ refreshToken: tokens.refreshToken }), 'DEPENDENCY_UNAVAILABLE');
    down = false;
    outage.clock.advance(GRACE_MS + 1);
    const next = await outage.service.refreshToken({ refreshToken: tokens.refreshToken });
    await expect(outage.service.validateToken({ accessToken: next.accessToken })).resolves.toBeDefined();
  });
});

describe('Logout', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('revokes the session of the refresh token: its refresh and access tokens stop working', async () => {
    const { tokens } = await h.signedInUser();
    await h.service.logout({ refreshToken: tokens.refreshToken });
    await expectDomainError(h.service.refreshToken({ refreshToken: tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    await expectDomainError(h.service.validateToken({ accessToken: tokens.accessToken }), 'SESSION_REVOKED');
  });

  it('revokes only that session', async () => {
    const { profile, tokens } = await h.signedInUser();
    const other = await h.signIn(profile, 'correct horse battery');
    await h.service.logout({ refreshToken: tokens.refreshToken });
    await expect(h.service.validateToken({ accessToken: other.tokens.accessToken })).resolves.toBeDefined();
    await expect(h.service.refreshToken({ refreshToken: other.tokens.refreshToken })).resolves.toBeDefined();
  });

  it('accepts any authentic token of the family, even a rotated one, and is idempotent; names the account while the session was live', async () => {
    const { profile, tokens } = await h.signedInUser();
    const next = await h.service.refreshToken({ refreshToken: tokens.refreshToken });
    expect(next.accountId).toBe(profile.id);
    await expect(h.service.logout({ refreshToken: tokens.refreshToken })).resolves.toEqual({ accountId: profile.id });
    await expectDomainError(h.service.validateToken({ accessToken: next.accessToken }), 'SESSION_REVOKED');
    await expect(h.service.logout({ refreshToken: next.refreshToken })).resolves.toEqual({ accountId: null });
  });

  it('rejects a malformed or forged token', async () => {
    const { caller } = await h.signedInUser();
    await expectDomainError(h.service.logout({ refreshToken: 'garbage' }), 'REFRESH_TOKEN_INVALID');
    const forged = new RefreshTokenCodec(new Uint8Array(32).fill(9)).encode(caller!.sessionId, 0);
    await expectDomainError(h.service.logout({ refreshToken: forged }), 'REFRESH_TOKEN_INVALID');
  });
});
