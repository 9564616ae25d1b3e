import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@authsvc/proto/auth/v1/auth';
import { aUser, expectStatus, startHarness, type Harness } from './support/grpc-harness.support.js';
import { signedInAdmin, signedInUser } from './support/accounts.support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxLoginFailures: 3 });
});
afterAll(() => h.close());

describe('refresh, reuse and revocation over gRPC', () => {
  it('a rotated refresh token presented again after the grace successor is used revokes the session', async () => {
    const me = await signedInUser(h);
    const second = (await h.client.call('refreshToken', { refreshToken: me.refreshToken })).tokens!;
    const third = (await h.client.call('refreshToken', { refreshToken: second.refreshToken })).tokens!;
    // `me.refreshToken` is two generations old: outside the grace exception, so this is reuse.
    expectStatus(await h.client.failure('refreshToken', { refreshToken: me.refreshToken }), status.UNAUTHENTICATED, 'REFRESH_TOKEN_REUSED');
    // The whole family is dead: the newest refresh token and the access tokens of the session.
    expectStatus(await h.client.failure('refreshToken', { refreshToken: third.refreshToken }), status.UNAUTHENTICATED);
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: third.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    expectStatus(await h.client.failure('validateToken', { accessToken: third.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
  });

  it('the immediate predecessor within the grace window returns the same successor', async () => {
    const me = await signedInUser(h);
    const first = (await h.client.call('refreshToken', { refreshToken: me.refreshToken })).tokens!;
    const again = (await h.client.call('refreshToken', { refreshToken: me.refreshToken })).tokens!;
    expect(again.refreshToken).toBe(first.refreshToken);
    await expect(h.client.call('getUser', { id: me.id }, { token: first.accessToken })).resolves.toBeDefined();
  });

  it('a forged refresh token -> REFRESH_TOKEN_INVALID', async () => {
    expectStatus(await h.client.failure('refreshToken', { refreshToken: 'forged-token' }), status.UNAUTHENTICATED, 'REFRESH_TOKEN_INVALID');
    expectStatus(await h.client.failure('logout', { refreshToken: 'forged-token' }), status.UNAUTHENTICATED, 'REFRESH_TOKEN_INVALID');
  });

  it('Logout revokes that session only: its access token dies, another session lives', async () => {
    const me = await signedInUser(h);
    const other = (await h.client.call('login', { login: me.username, password: me.password })).tokens!;
    await h.client.call('logout', { refreshToken: me.refreshToken });
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: me.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    expectStatus(await h.client.failure('refreshToken', { refreshToken: me.refreshToken }), status.UNAUTHENTICATED);
    await expect(h.client.call('getUser', { id: me.id }, { token: other.accessToken })).resolves.toBeDefined();
  });

  it('ChangePassword revokes every other session but keeps the caller\'s', async () => {
    const me = await signedInUser(h);
    const other = (await h.client.call('login', { login: me.username, password: me.password })).tokens!;
    const fresh = (await h.client.call('changePassword', { id: me.id, oldPassword: me.password, newPassword: 'the new password' }, { token: me.accessToken })).tokens!;
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: other.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    await expect(h.client.call('getUser', { id: me.id }, { token: fresh.accessToken })).resolves.toBeDefined();
    expectStatus(await h.client.failure('login', { login: me.username, password: me.password }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
  });

  it('RevokeSessions by an admin ends every session of the account', async () => {
    const admin = await signedInAdmin(h);
    const me = await signedInUser(h);
    expect((await h.client.call('revokeSessions', { id: me.id }, { token: admin.accessToken })).revoked).toBe(1);
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: me.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
  });

  it('SetRole revokes the account\'s sessions so the old role claim dies; a new login carries the new role', async () => {
    const admin = await signedInAdmin(h);
    const me = await signedInUser(h);
    await h.client.call('setRole', { id: me.id, role: Role.ROLE_ADMIN }, { token: admin.accessToken });
    expectStatus(await h.client.failure('validateToken', { accessToken: me.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    const login = await h.client.call('login', { login: me.username, password: me.password });
    expect(login.role).toBe(Role.ROLE_ADMIN);
    expect((await h.client.call('validateToken', { accessToken: login.tokens!.accessToken })).role).toBe(Role.ROLE_ADMIN);
  });

  it('SetRole with the id in upper case demotes an admin and revokes its sessions: its ADMIN token is refused', async () => {
    const admin = await signedInAdmin(h);
    const demoted = await signedInAdmin(h);
    expect((await h.client.call('validateToken', { accessToken: demoted.accessToken })).role).toBe(Role.ROLE_ADMIN);
    const { profile } = await h.client.call('setRole', { id: demoted.id.toUpperCase(), role: Role.ROLE_USER }, { token: admin.accessToken });
    expect(profile).toMatchObject({ $case: 'user', value: { id: demoted.id, role: Role.ROLE_USER } });
    expectStatus(await h.client.failure('validateToken', { accessToken: demoted.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    expectStatus(await h.client.failure('getUser', { id: admin.id }, { token: demoted.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
  });

  it('RevokeSessions by an admin with the id in upper case ends every session of the account', async () => {
    const admin = await signedInAdmin(h);
    const me = await signedInUser(h);
    await h.client.call('login', { login: me.username, password: me.password });
    expect((await h.client.call('revokeSessions', { id: me.id.toUpperCase() }, { token: admin.accessToken })).revoked).toBe(2);
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: me.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
  });
});

describe('login throttling over gRPC', () => {
  it('after the limit, even the right password gets RESOURCE_EXHAUSTED with RetryInfo', async () => {
    const input = aUser();
    await h.client.call('registerUser', input);
    for (let i = 0; i < 3; i += 1) {
      expectStatus(await h.client.failure('login', { login: input.username, password: 'wrong password' }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    }
    const error = await h.client.failure('login', { login: input.username, password: input.password });
    const decoded = expectStatus(error, status.RESOURCE_EXHAUSTED, 'LOGIN_THROTTLED');
    const retry = decoded.details.find((d) => d.kind === 'RetryInfo');
    expect(retry?.kind).toBe('RetryInfo');
    const delay = retry!.kind === 'RetryInfo' ? retry!.value.retryDelay! : { seconds: 0, nanos: 0 };
    const delayMs = delay.seconds * 1000 + delay.nanos / 1e6;
    expect(delayMs).toBeGreaterThan(0);
    expect(delayMs).toBeLessThanOrEqual(60_000);
  });

  it('a success before the limit resets the counter', async () => {
    const input = aUser();
    await h.client.call('registerUser', input);
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 2; i += 1) await h.client.failure('login', { login: input.username, password: 'wrong password' });
      await expect(h.client.call('login', { login: input.username, password: input.password })).resolves.toBeDefined();
    }
  });
});
