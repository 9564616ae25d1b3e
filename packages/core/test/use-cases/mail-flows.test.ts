import { beforeEach, describe, expect, it } from 'vitest';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, PASSWORD, sharedHasher } from './support/service-harness.support.js';
import { signedIn } from '../../src/fixtures/index.js';

const hasher = sharedHasher();
const NEW_PASSWORD = 'new battery staple';
const HOUR = 3_600_000;

describe('email verification', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('mails a link to the account\'s address; the token verifies it once and publishes .updated', async () => {
    const me = await h.signedInUser();
    expect(me.profile.emailVerifiedAt).toBeNull();
    await expect(h.service.requestEmailVerification(me.caller, { id: me.profile.id })).resolves.toEqual({ alreadyVerified: false });
    const token = await h.tokenMailed('verify-email', me.profile.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const verified = await h.service.verifyEmail({ token });
    expect(verified.emailVerifiedAt).toEqual(h.clock.now());
    const events = await h.events(me.profile.id);
    expect(events.at(-1)).toMatchObject({ type: 'user.updated', payload: { account: { email_verified: true } } });
    await expectDomainError(h.service.verifyEmail({ token }), 'ACCOUNT_TOKEN_INVALID');
    await expect(h.service.requestEmailVerification(me.caller, { id: me.profile.id })).resolves.toEqual({ alreadyVerified: true });
  });

  it('a new request voids the earlier link', async () => {
    const me = await h.signedInUser();
    await h.service.requestEmailVerification(me.caller, { id: me.profile.id });
    const first = await h.tokenMailed('verify-email', me.profile.email);
    await h.service.requestEmailVerification(me.caller, { id: me.profile.id });
    const second = await h.tokenMailed('verify-email', me.profile.email);
    expect(second).not.toBe(first);
    await expectDomainError(h.service.verifyEmail({ token: first }), 'ACCOUNT_TOKEN_INVALID');
    await expect(h.service.verifyEmail({ token: second })).resolves.toBeDefined();
  });

  it('a link expires after 24 hours', async () => {
    const me = await h.signedInUser();
    await h.service.requestEmailVerification(me.caller, { id: me.profile.id });
    const token = await h.tokenMailed('verify-email', me.profile.email);
    h.clock.advance(24 * HOUR);
    await expectDomainError(h.service.verifyEmail({ token }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('an email changed by UpdateUser is unverified again and its earlier link stops working', async () => {
    const me = await h.signedInUser();
    await h.service.requestEmailVerification(me.caller, { id: me.profile.id });
    const token = await h.tokenMailed('verify-email', me.profile.email);
    const updated = await h.service.updateUser(me.caller, { id: me.profile.id, email: `other.${me.profile.email}` });
    expect(updated.emailVerifiedAt).toBeNull();
    await expectDomainError(h.service.verifyEmail({ token }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('two concurrent redemptions of one token: exactly one wins', async () => {
    const me = await h.signedInUser();
    await h.service.requestEmailVerification(me.caller, { id: me.profile.id });
    const token = await h.tokenMailed('verify-email', me.profile.email);
    const results = await Promise.allSettled([h.service.verifyEmail({ token }), h.service.verifyEmail({ token })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'ACCOUNT_TOKEN_INVALID' } });
  });

  it('a token of another purpose, a malformed one and an empty one are refused', async () => {
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: me.profile.email });
    const reset = await h.tokenMailed('reset-password', me.profile.email);
    await expectDomainError(h.service.verifyEmail({ token: reset }), 'ACCOUNT_TOKEN_INVALID');
    await expectDomainError(h.service.verifyEmail({ token: 'not a token' }), 'ACCOUNT_TOKEN_INVALID');
    await expectDomainError(h.service.verifyEmail({ token: '' }), 'VALIDATION_FAILED');
  });

  it('at most 5 mails an hour per account: the 6th request is RATE_LIMITED with when to retry', async () => {
    const me = await h.signedInUser();
    for (let i = 0; i < 5; i += 1) await h.service.requestEmailVerification(me.caller, { id: me.profile.id });
    await expect(h.service.requestEmailVerification(me.caller, { id: me.profile.id })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: expect.any(Number),
    });
    expect((await h.mails()).filter((m) => m.to === me.profile.email)).toHaveLength(5);
  });
});

describe('password reset', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('sets the password, revokes every session, verifies the address; the token works once', async () => {
    const me = await h.signedInUser();
    const phone = await h.signIn(me.profile, PASSWORD);
    await expect(h.service.requestPasswordReset({ email: me.profile.email.toUpperCase() })).resolves.toBeUndefined();
    const token = await h.tokenMailed('reset-password', me.profile.email);

    await h.service.resetPassword({ token, newPassword: NEW_PASSWORD });
    for (const session of [me, phone]) {
      await expectDomainError(h.service.validateToken({ accessToken: session.tokens.accessToken }), 'SESSION_REVOKED');
      await expectDomainError(h.service.refreshToken({ refreshToken: session.tokens.refreshToken }), 'REFRESH_TOKEN_INVALID');
    }
    await expectDomainError(h.service.login({ login: me.profile.username, password: PASSWORD }), 'INVALID_CREDENTIALS');
    const login = await signedIn(h.service.login({ login: me.profile.username, password: NEW_PASSWORD }));
    const profile = await h.service.getUser(await h.service.authenticate(login.tokens.accessToken), { id: me.profile.id });
    expect(profile.emailVerifiedAt).not.toBeNull();
    await expectDomainError(h.service.resetPassword({ token, newPassword: 'yet another one' }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('an unknown address gets the same reply and no mail', async () => {
    await expect(h.service.requestPasswordReset({ email: 'nobody@example.com' })).resolves.toBeUndefined();
    expect(await h.mails()).toEqual([]);
  });

  it('known and unknown addresses are limited alike (5 an hour per address, counted as typed)', async () => {
    const me = await h.signedInUser();
    for (const email of [me.profile.email, 'nobody@example.com']) {
      for (let i = 0; i < 5; i += 1) await h.service.requestPasswordReset({ email });
      await expectDomainError(h.service.requestPasswordReset({ email }), 'RATE_LIMITED');
    }
  });

  it('one client address is limited across the addresses it names, known or not; another client is not', async () => {
    h = await Harness.create({ hasher, limits: { passwordResetRequestsPerAddress: { max: 3, windowMs: 60_000 } } });
    const me = await h.signedInUser();
    const from = { clientAddress: '198.51.100.7' };
    await h.service.requestPasswordReset({ email: 'nobody.1@example.com' }, from);
    await h.service.requestPasswordReset({ email: me.profile.email }, from);
    await h.service.requestPasswordReset({ email: 'nobody.2@example.com' }, from);
    for (const email of [me.profile.email, 'nobody.3@example.com']) {
      await expectDomainError(h.service.requestPasswordReset({ email }, from), 'RATE_LIMITED');
    }
    expect((await h.mails()).map((m) => m.kind)).toEqual(['reset-password']);
    await expect(h.service.requestPasswordReset({ email: me.profile.email }, { clientAddress: '203.0.113.9' })).resolves.toBeUndefined();
    expect(await h.mails()).toHaveLength(2);
  });

  it('a refusal by the client limit leaves the per-address count untouched', async () => {
    h = await Harness.create({ hasher, limits: { passwordResetRequestsPerAddress: { max: 1, windowMs: 60_000 } } });
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: 'nobody@example.com' }, { clientAddress: '198.51.100.7' });
    for (let i = 0; i < 3; i += 1) {
      await expectDomainError(h.service.requestPasswordReset({ email: me.profile.email }, { clientAddress: '198.51.100.7' }), 'RATE_LIMITED');
    }
    // mailsPerAddress (5 an hour) was not spent by the refused requests: five clients still get their mail.
    for (let i = 1; i <= 5; i += 1) await h.service.requestPasswordReset({ email: me.profile.email }, { clientAddress: `203.0.${i}.9` });
    expect(await h.mails()).toHaveLength(5);
  });

  it('a username is not an address: a reset for it sends nothing', async () => {
    const me = await h.signedInUser();
    await expectDomainError(h.service.requestPasswordReset({ email: me.profile.username }), 'VALIDATION_FAILED');
    expect(await h.mails()).toEqual([]);
  });

  it('expires after 30 minutes', async () => {
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: me.profile.email });
    const token = await h.tokenMailed('reset-password', me.profile.email);
    h.clock.advance(30 * 60_000);
    await expectDomainError(h.service.resetPassword({ token, newPassword: NEW_PASSWORD }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('a password change voids the reset links', async () => {
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: me.profile.email });
    const token = await h.tokenMailed('reset-password', me.profile.email);
    await h.service.changePassword(me.caller, { id: me.profile.id, oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await expectDomainError(h.service.resetPassword({ token, newPassword: 'yet another one' }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('a reset link of a former address stops working', async () => {
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: me.profile.email });
    const token = await h.tokenMailed('reset-password', me.profile.email);
    await h.service.updateUser(me.caller, { id: me.profile.id, email: `moved.${me.profile.email}` });
    await expectDomainError(h.service.resetPassword({ token, newPassword: NEW_PASSWORD }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('a weak new password is INVALID_ARGUMENT on new_password, and the token still works', async () => {
    const me = await h.signedInUser();
    await h.service.requestPasswordReset({ email: me.profile.email });
    const token = await h.tokenMailed('reset-password', me.profile.email);
    await expect(h.service.resetPassword({ token, newPassword: 'short' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [expect.objectContaining({ field: 'new_password' })],
    });
    await expect(h.service.resetPassword({ token, newPassword: NEW_PASSWORD })).resolves.toBeUndefined();
  });

  it('redemptions are throttled per client address', async () => {
    h = await Harness.create({ hasher, limits: { tokenRedemptionsPerAddress: { max: 2, windowMs: 60_000 } } });
    const bad = 'A'.repeat(43);
    const call = { clientAddress: '198.51.100.7' };
    await expectDomainError(h.service.verifyEmail({ token: bad }, call), 'ACCOUNT_TOKEN_INVALID');
    await expectDomainError(h.service.verifyEmail({ token: bad }, call), 'ACCOUNT_TOKEN_INVALID');
    await expectDomainError(h.service.verifyEmail({ token: bad }, call), 'RATE_LIMITED');
    await expectDomainError(h.service.verifyEmail({ token: bad }, { clientAddress: '198.51.100.8' }), 'ACCOUNT_TOKEN_INVALID');
  });
});

describe('email change', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('mails a link to the new address and a notice to the old; nothing changes until confirmed', async () => {
    const me = await h.signedInUser();
    const newEmail = `new.${me.profile.email}`;
    await h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail, currentPassword: PASSWORD });
    const mails = await h.mails();
    expect(mails.map((m) => [m.kind, m.to])).toEqual([
      ['confirm-email-change', newEmail],
      ['email-change-notice', me.profile.email],
    ]);
    expect(mails[1]).toMatchObject({ sealedToken: null, newEmail });
    expect((await h.service.getUser(me.caller, { id: me.profile.id })).email).toBe(me.profile.email);
  });

  it('confirming switches the address (verified), keeps the caller\'s session and revokes the others', async () => {
    const me = await h.signedInUser();
    const other = await h.signIn(me.profile, PASSWORD);
    const newEmail = `new.${me.profile.email}`;
    await h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail, currentPassword: PASSWORD });
    const token = await h.tokenMailed('confirm-email-change', newEmail);
    const changed = await h.service.confirmEmailChange(me.caller, { token });
    expect(changed).toMatchObject({ email: newEmail, emailVerifiedAt: h.clock.now() });
    await expect(h.service.validateToken({ accessToken: me.tokens.accessToken })).resolves.toBeDefined();
    await expectDomainError(h.service.validateToken({ accessToken: other.tokens.accessToken }), 'SESSION_REVOKED');
    expect((await h.events(me.profile.id)).at(-1)).toMatchObject({ type: 'user.updated', payload: { account: { email: newEmail, email_verified: true } } });
    await expectDomainError(h.service.confirmEmailChange(null, { token }), 'ACCOUNT_TOKEN_INVALID');
  });

  it('a wrong current password is INVALID_CREDENTIALS and mails nothing', async () => {
    const me = await h.signedInUser();
    await expectDomainError(h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail: `new.${me.profile.email}`, currentPassword: 'wrong password!' }), 'INVALID_CREDENTIALS');
    expect(await h.mails()).toEqual([]);
  });

  it('an address taken at the request is EMAIL_TAKEN; one taken before the confirmation too, and the token stays unspent', async () => {
    const me = await h.signedInUser();
    const rival = await h.signedInUser();
    await expectDomainError(h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail: rival.profile.email, currentPassword: PASSWORD }), 'EMAIL_TAKEN');

    const wanted = `wanted.${me.profile.email}`;
    await h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail: wanted, currentPassword: PASSWORD });
    const token = await h.tokenMailed('confirm-email-change', wanted);
    await h.service.updateUser(rival.caller, { id: rival.profile.id, email: wanted.toUpperCase() });
    await expectDomainError(h.service.confirmEmailChange(null, { token }), 'EMAIL_TAKEN');
    await h.service.updateUser(rival.caller, { id: rival.profile.id, email: `gone.${rival.profile.email}` });
    await expect(h.service.confirmEmailChange(null, { token })).resolves.toMatchObject({ email: wanted });
  });

  it('the same address again is INVALID_ARGUMENT on new_email', async () => {
    const me = await h.signedInUser();
    await expect(h.service.requestEmailChange(me.caller, { id: me.profile.id, newEmail: me.profile.email, currentPassword: PASSWORD })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [expect.objectContaining({ field: 'new_email' })],
    });
  });
});

describe('refusing unverified logins (setting)', () => {
  it('EMAIL_NOT_VERIFIED only after the right password; a verified account signs in', async () => {
    const h = await Harness.create({ hasher, settings: { requireVerifiedEmail: true } });
    const input = h.userInput();
    const profile = await h.service.registerUser(input);
    await expectDomainError(h.service.login({ login: profile.username, password: 'wrong password!' }), 'INVALID_CREDENTIALS');
    await expectDomainError(h.service.login({ login: profile.username, password: PASSWORD }), 'EMAIL_NOT_VERIFIED');
    await h.service.requestPasswordReset({ email: profile.email });
    await h.service.resetPassword({ token: await h.tokenMailed('reset-password', profile.email), newPassword: NEW_PASSWORD });
    await expect(h.service.login({ login: profile.username, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it('is off by default', async () => {
    const h = await Harness.create({ hasher });
    await expect(h.signedInUser()).resolves.toBeDefined();
  });
});
