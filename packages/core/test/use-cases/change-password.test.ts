import { beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../src/fixtures/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();
const NEW_PASSWORD = 'new battery staple';

describe('ChangePassword', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher, limits: { loginPerAddress: { max: 3, windowMs: 60_000 } } });
  });

  it('replaces the password: the new one signs in, the old one no longer does', async () => {
    const { profile, caller } = await h.signedInUser();
    await h.service.changePassword(caller, { id: profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await expect(h.service.login({ login: profile.username, password: NEW_PASSWORD })).resolves.toBeDefined();
    await expectDomainError(h.service.login({ login: profile.username, password: PASSWORD }), 'INVALID_CREDENTIALS');
  });

  it('kills every other session (refresh and access tokens) and returns a working pair for the caller', async () => {
    const me = await h.signedInUser();
    const laptop = await h.signIn(me.profile, PASSWORD);
    const phone = await h.signIn(me.profile, PASSWORD);

    const fresh = await h.service.changePassword(me.caller, { id: me.profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD });

    for (const other of [laptop, phone]) {
      await expectDomainError(h.service.validateToken({ accessToken: other.tokens.accessToken }), 'SESSION_REVOKED');
      await expectDomainError(h.service.refreshToken({ refreshToken: other.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    }
    expect(fresh.tokenType).toBe('Bearer');
    await expect(h.service.validateToken({ accessToken: fresh.accessToken })).resolves.toMatchObject({ accountId: me.profile.id });
    const next = await h.service.refreshToken({ refreshToken: fresh.refreshToken });
    await expect(h.service.validateToken({ accessToken: next.accessToken })).resolves.toBeDefined();
    // Documented choice: the caller continues on a new session; its old tokens end like the others.
    await expectDomainError(h.service.validateToken({ accessToken: me.tokens.accessToken }), 'SESSION_REVOKED');
    expect(await h.sessions.listForAccount(me.profile.id, h.clock.now())).toHaveLength(1);
  });

  it('when the session store fails, keeps the old password and every session as they were, so a retry works', async () => {
    const outage = await Harness.create({
      hasher,
      override: ({ sessions }) => ({
        sessions: {
          create: (session) => sessions.create(session),
          redeem: (...args) => sessions.redeem(...args),
          revoke: (...args) => sessions.revoke(...args),
          revokeAllForAccount: () => Promise.reject(new Error('session store down')),
          isRevoked: (...args) => sessions.isRevoked(...args),
          listForAccount: (...args) => sessions.listForAccount(...args),
          accountOf: (...args) => sessions.accountOf(...args),
        },
      }),
    });
    const user = await outage.signedInUser();
    const other = await outage.signIn(user.profile, PASSWORD);
    await expect(
      outage.service.changePassword(user.caller, { id: user.profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD }),
    ).rejects.toThrow('session store down');
    await expect(outage.service.login({ login: user.profile.username, password: PASSWORD })).resolves.toBeDefined();
    await expect(outage.service.validateToken({ accessToken: other.tokens.accessToken })).resolves.toBeDefined();
  });

  it('refuses a wrong old password with INVALID_CREDENTIALS and changes nothing', async () => {
    const { profile, caller, tokens } = await h.signedInUser();
    await expectDomainError(
      h.service.changePassword(caller, { id: profile.id, oldPassword: 'not my password', newPassword: NEW_PASSWORD }),
      'INVALID_CREDENTIALS',
    );
    await expect(h.service.login({ login: profile.username, password: PASSWORD })).resolves.toBeDefined();
    await expect(h.service.validateToken({ accessToken: tokens.accessToken })).resolves.toBeDefined();
  });

  it('throttles old-password guesses like logins by username, sharing their counter', async () => {
    const { profile, caller } = await h.signedInUser();
    for (let i = 0; i < 3; i += 1) {
      await expectDomainError(
        h.service.changePassword(caller, { id: profile.id, oldPassword: 'guess number x', newPassword: NEW_PASSWORD }),
        'INVALID_CREDENTIALS',
      );
    }
    await expectDomainError(h.service.changePassword(caller, { id: profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD }), 'LOGIN_THROTTLED');
    await expectDomainError(h.service.login({ login: profile.username, password: PASSWORD }), 'LOGIN_THROTTLED');
  });

  it('names new_password and old_password when they break the rules', async () => {
    const { profile, caller } = await h.signedInUser();
    const error = await rejectionOf(h.service.changePassword(caller, { id: profile.id, oldPassword: 'x'.repeat(73), newPassword: 'short' }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['new_password', 'old_password']);
    const tooLong = await rejectionOf(h.service.changePassword(caller, { id: profile.id, oldPassword: PASSWORD, newPassword: '€'.repeat(25) }));
    expect(tooLong).toMatchObject({ violations: [{ field: 'new_password', description: 'must be at most 72 bytes in UTF-8' }] });
  });

  it('is only for the account itself: another user and even an admin are denied', async () => {
    const { profile } = await h.signedInUser();
    const other = await h.signedInUser();
    const admin = await h.signedInUser({ admin: true });
    for (const caller of [other.caller, admin.caller]) {
      await expectDomainError(h.service.changePassword(caller, { id: profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD }), 'PERMISSION_DENIED');
    }
    await expectDomainError(h.service.changePassword(null, { id: profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD }), 'UNAUTHENTICATED');
  });

  it('writes no event: the public profile did not change', async () => {
    const { profile, caller } = await h.signedInUser();
    await h.service.changePassword(caller, { id: profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect((await h.events(profile.id)).map((e) => e.type)).toEqual(['user.created']);
  });
});
