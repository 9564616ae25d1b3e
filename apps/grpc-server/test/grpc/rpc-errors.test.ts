import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gender, Role, SearchAccountsRequest } from '@authsvc/proto/auth/v1/auth';
import { totpCodeAt } from '@authsvc/core';
import { aUser, anArtist, expectStatus, startHarness, violatedFields, type Harness } from './support/grpc-harness.support.js';
import { signedInAdmin, signedInUser } from './support/accounts.support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('documented errors carry their status code and rich details', () => {
  it('invalid registration fields -> INVALID_ARGUMENT with a BadRequest naming each field', async () => {
    const error = await h.client.failure('registerUser', aUser({ username: 'x', email: 'not-an-email', country: 'ZZ', age: 0 }));
    expectStatus(error, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(error)).toEqual(expect.arrayContaining(['username', 'email', 'country', 'age']));
  });

  it('a password over 72 bytes -> INVALID_ARGUMENT naming password (never INTERNAL, never truncated)', async () => {
    const error = await h.client.failure('registerUser', aUser({ password: 'é'.repeat(37) }));
    expectStatus(error, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(error)).toContain('password');
  });

  it('GENDER_UNSPECIFIED and an unknown enum number -> INVALID_ARGUMENT naming the field', async () => {
    const unspecified = await h.client.failure('registerUser', aUser({ gender: Gender.GENDER_UNSPECIFIED }));
    expectStatus(unspecified, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(unspecified)).toEqual(['gender']);
    const admin = await signedInAdmin(h);
    const unknown = await h.client.failure('setRole', { id: admin.id, role: 42 as Role }, { token: admin.accessToken });
    expectStatus(unknown, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(unknown)).toEqual(['role']);
    expect(unknown.details).toContain('unknown value 42');
  });

  it('SearchAccounts: a page_size above 100, a page token of another search or a mangled one, an empty creation range -> INVALID_ARGUMENT naming the field', async () => {
    const admin = await signedInAdmin(h);
    const token = { token: admin.accessToken };
    const tooBig = await h.client.failure('searchAccounts', SearchAccountsRequest.fromPartial({ pageSize: 101 }), token);
    expectStatus(tooBig, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(tooBig)).toEqual(['page_size']);
    await h.client.call('registerUser', aUser({ username: `pt_${Date.now().toString(36)}_1` }));
    await h.client.call('registerUser', aUser({ username: `pt_${Date.now().toString(36)}_2` }));
    const { nextPageToken } = await h.client.call('searchAccounts', SearchAccountsRequest.fromPartial({ usernamePrefix: 'pt_', pageSize: 1 }), token);
    expect(nextPageToken).not.toBe('');
    for (const request of [{ usernamePrefix: 'pt', pageToken: nextPageToken }, { usernamePrefix: 'pt_', pageToken: 'not-a-token' }]) {
      const error = await h.client.failure('searchAccounts', SearchAccountsRequest.fromPartial(request), token);
      expectStatus(error, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
      expect(violatedFields(error)).toEqual(['page_token']);
    }
    const range = await h.client.failure('searchAccounts', SearchAccountsRequest.fromPartial({ createdFrom: new Date(2_000), createdBefore: new Date(1_000) }), token);
    expect(violatedFields(range)).toEqual(['created_before']);
  });

  it('Login to a disabled account -> PERMISSION_DENIED ACCOUNT_DISABLED with the right password, INVALID_CREDENTIALS with a wrong one', async () => {
    const admin = await signedInAdmin(h);
    const user = await signedInUser(h);
    await h.client.call('disableAccount', { id: user.id, reason: 'spam', until: undefined }, { token: admin.accessToken });
    expectStatus(await h.client.failure('login', { login: user.username, password: user.password }), status.PERMISSION_DENIED, 'ACCOUNT_DISABLED');
    expectStatus(await h.client.failure('login', { login: user.username, password: 'not the password' }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    const noReason = await h.client.failure('disableAccount', { id: user.id, reason: '', until: new Date(1_000) }, { token: admin.accessToken });
    expectStatus(noReason, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(noReason)).toEqual(['reason']);
    const past = await h.client.failure('disableAccount', { id: user.id, reason: 'x', until: new Date(1_000) }, { token: admin.accessToken });
    expect(violatedFields(past)).toEqual(['until']);
  });

  it('disabling the last enabled admin -> FAILED_PRECONDITION LAST_ADMIN', async () => {
    const alone = await startHarness();
    try {
      const admin = await signedInAdmin(alone);
      const error = await alone.client.failure('disableAccount', { id: admin.id, reason: 'leaving', until: undefined }, { token: admin.accessToken });
      expectStatus(error, status.FAILED_PRECONDITION, 'LAST_ADMIN');
    } finally {
      await alone.close();
    }
  });

  it('DeleteAccount of oneself: no password -> INVALID_ARGUMENT current_password, a wrong one -> INVALID_CREDENTIALS; the last admin -> LAST_ADMIN; an unknown id -> NOT_FOUND', async () => {
    const user = await signedInUser(h);
    const missing = await h.client.failure('deleteAccount', { id: user.id, currentPassword: '' }, { token: user.accessToken });
    expectStatus(missing, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(missing)).toEqual(['current_password']);
    expectStatus(await h.client.failure('deleteAccount', { id: user.id, currentPassword: 'not the password' }, { token: user.accessToken }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    const bad = await h.client.failure('deleteAccount', { id: 'not-a-uuid', currentPassword: '' }, { token: user.accessToken });
    expect(violatedFields(bad)).toEqual(['id']);
    const admin = await signedInAdmin(h);
    expectStatus(await h.client.failure('restoreAccount', { id: '0190a000-0000-7000-8000-000000000000' }, { token: admin.accessToken }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
    expectStatus(await h.client.failure('resetSecondFactors', { id: '0190a000-0000-7000-8000-000000000000' }, { token: admin.accessToken }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
    expectStatus(await h.client.failure('resetSecondFactors', { id: 'not-an-id' }, { token: admin.accessToken }), status.INVALID_ARGUMENT);
    const alone = await startHarness();
    try {
      const only = await signedInAdmin(alone);
      expectStatus(await alone.client.failure('deleteAccount', { id: only.id, currentPassword: only.password }, { token: only.accessToken }), status.FAILED_PRECONDITION, 'LAST_ADMIN');
    } finally {
      await alone.close();
    }
  });

  it('DeleteAccount of oneself with a second factor but a password-only sign-in -> UNAUTHENTICATED REAUTHENTICATION_REQUIRED', async () => {
    const user = await signedInUser(h);
    const { secret } = await h.client.call('beginTotpEnrolment', { id: user.id }, { token: user.accessToken });
    await h.client.call('confirmTotpEnrolment', { id: user.id, totpCode: totpCodeAt(secret, new Date()) }, { token: user.accessToken });
    expectStatus(await h.client.failure('deleteAccount', { id: user.id, currentPassword: user.password }, { token: user.accessToken }), status.UNAUTHENTICATED, 'REAUTHENTICATION_REQUIRED');
  });

  it('empty required strings -> INVALID_ARGUMENT naming every one', async () => {
    const error = await h.client.failure('login', { login: '', password: '' });
    expectStatus(error, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(error)).toEqual(['login', 'password']);
    const refresh = await h.client.failure('refreshToken', { refreshToken: '' });
    expect(violatedFields(refresh)).toEqual(['refresh_token']);
  });

  it.each([
    ['USERNAME_TAKEN', (u: ReturnType<typeof aUser>) => aUser({ username: u.username.toUpperCase() })],
    ['EMAIL_TAKEN', (u: ReturnType<typeof aUser>) => aUser({ email: u.email.toUpperCase() })],
  ])('%s (case-insensitively) -> ALREADY_EXISTS', async (reason, clash) => {
    const first = aUser();
    await h.client.call('registerUser', first);
    expectStatus(await h.client.failure('registerUser', clash(first)), status.ALREADY_EXISTS, reason);
  });

  it('AUTHOR_TAKEN -> ALREADY_EXISTS', async () => {
    const first = anArtist();
    await h.client.call('registerArtist', first);
    expectStatus(await h.client.failure('registerArtist', anArtist({ author: first.author.toLowerCase() })), status.ALREADY_EXISTS, 'AUTHOR_TAKEN');
  });

  it('unknown account and wrong password -> the same UNAUTHENTICATED INVALID_CREDENTIALS', async () => {
    const me = await signedInUser(h);
    const wrong = await h.client.failure('login', { login: me.username, password: 'wrong password!' });
    const unknown = await h.client.failure('login', { login: 'nobody-here', password: 'wrong password!' });
    expectStatus(wrong, status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    expectStatus(unknown, status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    expect(wrong.details).toBe(unknown.details);
  });

  it('no bearer token on a signed-in RPC -> UNAUTHENTICATED (UNAUTHENTICATED)', async () => {
    const me = await signedInUser(h);
    expectStatus(await h.client.failure('getUser', { id: me.id }), status.UNAUTHENTICATED, 'UNAUTHENTICATED');
  });

  it('a garbage token, a non-bearer scheme, or a refresh token as bearer -> UNAUTHENTICATED (ACCESS_TOKEN_INVALID)', async () => {
    const me = await signedInUser(h);
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: 'not.a.jwt' }), status.UNAUTHENTICATED, 'ACCESS_TOKEN_INVALID');
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: me.refreshToken }), status.UNAUTHENTICATED, 'ACCESS_TOKEN_INVALID');
    const basic = await h.client.failure('getUser', { id: me.id }, { metadata: { authorization: `Basic ${me.accessToken}` } });
    expectStatus(basic, status.UNAUTHENTICATED, 'ACCESS_TOKEN_INVALID');
    expectStatus(await h.client.failure('validateToken', { accessToken: me.refreshToken }), status.UNAUTHENTICATED, 'ACCESS_TOKEN_INVALID');
  });

  it('the bearer scheme is case-insensitive', async () => {
    const me = await signedInUser(h);
    const { user } = await h.client.call('getUser', { id: me.id }, { metadata: { authorization: `bEaReR ${me.accessToken}` } });
    expect(user!.id).toBe(me.id);
  });

  it('public RPCs ignore a bad authorization header', async () => {
    await expect(h.client.call('getJwks', {}, { token: 'garbage' })).resolves.toBeDefined();
    await expect(h.client.call('registerUser', aUser(), { token: 'garbage' })).resolves.toBeDefined();
  });

  it('another account\'s user profile -> PERMISSION_DENIED', async () => {
    const me = await signedInUser(h);
    const other = await signedInUser(h);
    expectStatus(await h.client.failure('getUser', { id: other.id }, { token: me.accessToken }), status.PERMISSION_DENIED, 'PERMISSION_DENIED');
  });

  it('an unknown id -> NOT_FOUND (not INTERNAL)', async () => {
    const admin = await signedInAdmin(h);
    const missing = '0190a000-0000-7000-8000-000000000000';
    expectStatus(await h.client.failure('getUser', { id: missing }, { token: admin.accessToken }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
    expectStatus(await h.client.failure('getArtist', { id: missing }, { token: admin.accessToken }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
  });

  it('an account id that is not a UUID -> INVALID_ARGUMENT naming id, on every RPC that takes one', async () => {
    const admin = await signedInAdmin(h);
    const token = { token: admin.accessToken };
    for (const id of ['not-a-uuid', `${admin.id}x`, `{${admin.id}}`, admin.id.replaceAll('-', '')]) {
      const failures = [
        await h.client.failure('getUser', { id }, token),
        await h.client.failure('getArtist', { id }, token),
        await h.client.failure('updateUser', { id, age: 30 }, token),
        await h.client.failure('updateArtist', { id, description: 'x' }, token),
        await h.client.failure('changePassword', { id, oldPassword: admin.password, newPassword: 'another password' }, token),
        await h.client.failure('revokeSessions', { id }, token),
        await h.client.failure('setRole', { id, role: Role.ROLE_USER }, token),
      ];
      for (const error of failures) {
        expectStatus(error, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
        expect(violatedFields(error)).toEqual(['id']);
      }
    }
  });

  it('RevokeSession of another account’s session by a non-admin, or of an ended one -> NOT_FOUND SESSION_NOT_FOUND; a malformed id -> INVALID_ARGUMENT', async () => {
    const victim = await signedInUser(h);
    const stranger = await signedInUser(h);
    const { sessions } = await h.client.call('listSessions', { id: victim.id }, { token: victim.accessToken });
    const sessionId = sessions[0]!.sessionId;
    expectStatus(await h.client.failure('revokeSession', { sessionId }, { token: stranger.accessToken }), status.NOT_FOUND, 'SESSION_NOT_FOUND');
    await h.client.call('logout', { refreshToken: victim.refreshToken });
    const admin = await signedInAdmin(h);
    expectStatus(await h.client.failure('revokeSession', { sessionId }, { token: admin.accessToken }), status.NOT_FOUND, 'SESSION_NOT_FOUND');
    const malformed = await h.client.failure('revokeSession', { sessionId: 'not a session id' }, { token: stranger.accessToken });
    expectStatus(malformed, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(malformed)).toEqual(['session_id']);
  });

  it('a device name over 64 characters at Login -> INVALID_ARGUMENT naming device_name', async () => {
    const me = await signedInUser(h);
    const error = await h.client.failure('login', { login: me.username, password: me.password, deviceName: 'd'.repeat(65) });
    expectStatus(error, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(error)).toEqual(['device_name']);
  });

  it('demoting the last admin -> FAILED_PRECONDITION LAST_ADMIN, and it stays an admin', async () => {
    const alone = await startHarness();
    try {
      const admin = await signedInAdmin(alone);
      const error = await alone.client.failure('setRole', { id: admin.id, role: Role.ROLE_USER }, { token: admin.accessToken });
      expectStatus(error, status.FAILED_PRECONDITION, 'LAST_ADMIN');
      expect((await alone.client.call('validateToken', { accessToken: admin.accessToken })).role).toBe(Role.ROLE_ADMIN);
    } finally {
      await alone.close();
    }
  });

  it('a wrong old password on ChangePassword -> UNAUTHENTICATED INVALID_CREDENTIALS', async () => {
    const me = await signedInUser(h);
    const error = await h.client.failure('changePassword', { id: me.id, oldPassword: 'not my password', newPassword: 'another password' }, { token: me.accessToken });
    expectStatus(error, status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
  });

  it('the mail RPCs: bad input names its field, a bad token is ACCOUNT_TOKEN_INVALID, a full mail limit is RATE_LIMITED with RetryInfo', async () => {
    const reset = await h.client.failure('requestPasswordReset', { email: 'not-an-email' });
    expectStatus(reset, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(reset)).toEqual(['email']);
    const weak = await h.client.failure('resetPassword', { token: '', newPassword: 'short' });
    expectStatus(weak, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    expect(violatedFields(weak).sort()).toEqual(['new_password', 'token']);
    expectStatus(await h.client.failure('verifyEmail', { token: 'A'.repeat(43) }), status.UNAUTHENTICATED, 'ACCOUNT_TOKEN_INVALID');
    expectStatus(await h.client.failure('confirmEmailChange', { token: 'no such token' }), status.UNAUTHENTICATED, 'ACCOUNT_TOKEN_INVALID');

    const me = await signedInUser(h);
    for (let i = 0; i < 5; i += 1) await h.client.call('requestEmailVerification', { id: me.id }, { token: me.accessToken });
    const limited = expectStatus(await h.client.failure('requestEmailVerification', { id: me.id }, { token: me.accessToken }), status.RESOURCE_EXHAUSTED, 'RATE_LIMITED');
    expect(limited.details.some((d) => d.kind === 'RetryInfo')).toBe(true);
  });

  it('RequestEmailChange: a wrong password is INVALID_CREDENTIALS, another account\'s address EMAIL_TAKEN', async () => {
    const [me, other] = await Promise.all([signedInUser(h), signedInUser(h)]);
    const wrong = await h.client.failure('requestEmailChange', { id: me.id, newEmail: 'fresh@example.com', currentPassword: 'not my password' }, { token: me.accessToken });
    expectStatus(wrong, status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    const profile = (await h.client.call('getUser', { id: other.id }, { token: other.accessToken })).user!;
    const taken = await h.client.failure('requestEmailChange', { id: me.id, newEmail: profile.email, currentPassword: me.password }, { token: me.accessToken });
    expectStatus(taken, status.ALREADY_EXISTS, 'EMAIL_TAKEN');
  });

  it('an unexpected failure -> INTERNAL with a correlation id only; the stack goes to the log', async () => {
    const original = h.core.service.getJwks;
    h.core.service.getJwks = () => Promise.reject(new Error('secret internal detail: db at 10.0.0.5'));
    try {
      const error = await h.client.failure('getJwks', {}, { metadata: { 'x-request-id': 'corr-123' } });
      const decoded = expectStatus(error, status.INTERNAL);
      expect(error.details).toBe('internal error (correlation id corr-123)');
      expect(JSON.stringify(decoded)).not.toContain('10.0.0.5');
      expect(decoded.details).toEqual([{ kind: 'RequestInfo', value: { requestId: 'corr-123', servingData: '' } }]);
      const logged = h.logger.lines.find((line) => line.fields['requestId'] === 'corr-123');
      expect(logged).toMatchObject({ level: 'error', fields: { code: 'INTERNAL', method: 'GetJwks' } });
      expect((logged!.fields['err'] as Error).stack).toContain('secret internal detail');
    } finally {
      h.core.service.getJwks = original;
    }
  });
});
