import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '@authsvc/core';
import { AccountKind, ArtistView, Gender, Role, SearchAccountsRequest, SecondFactor } from '@authsvc/proto/auth/v1/auth';
import { aUser, anArtist, expectStatus, startHarness, type Harness } from './support/grpc-harness.support.js';
import { signedInAdmin, signedInArtist, signedInUser } from './support/accounts.support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('every RPC succeeds over gRPC', () => {
  it('RegisterUser returns the new profile with role USER and no password', async () => {
    const input = aUser({ gender: Gender.GENDER_NON_BINARY, country: 'fr', age: 42 });
    const { user } = await h.client.call('registerUser', input);
    expect(user).toMatchObject({ username: input.username, email: input.email, gender: Gender.GENDER_NON_BINARY, country: 'FR', age: 42, role: Role.ROLE_USER });
    expect(user!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user!.createdAt).toBeInstanceOf(Date);
    expect(JSON.stringify(user)).not.toContain(input.password);
  });

  it('RegisterArtist returns the profile; an empty producer means none', async () => {
    const withProducer = await h.client.call('registerArtist', anArtist({ producer: 'Big Label' }));
    expect(withProducer.artist).toMatchObject({ producer: 'Big Label', role: Role.ROLE_ARTIST });
    const without = await h.client.call('registerArtist', anArtist({ producer: '' }));
    expect(without.artist!.producer).toBeUndefined();
  });

  it('Login by username or by email returns the account and a Bearer token pair', async () => {
    const input = aUser();
    const { user } = await h.client.call('registerUser', input);
    for (const login of [input.username, input.email.toUpperCase()]) {
      const result = await h.client.call('login', { login, password: input.password });
      expect(result).toMatchObject({ accountId: user!.id, username: input.username, role: Role.ROLE_USER });
      expect(result.tokens).toMatchObject({ tokenType: 'Bearer' });
      expect(result.tokens!.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
      expect(result.tokens!.refreshTokenExpiresAt!.getTime()).toBeGreaterThan(result.tokens!.accessTokenExpiresAt!.getTime());
    }
  });

  it('RefreshToken needs no access token and returns a new pair', async () => {
    const me = await signedInUser(h);
    const { tokens } = await h.client.call('refreshToken', { refreshToken: me.refreshToken });
    expect(tokens!.refreshToken).not.toBe(me.refreshToken);
    expect(tokens!.accessToken).not.toBe(me.accessToken);
  });

  it('Logout returns empty and ends the session', async () => {
    const me = await signedInUser(h);
    expect(await h.client.call('logout', { refreshToken: me.refreshToken })).toEqual({});
  });

  it('GetUser returns the caller\'s own profile', async () => {
    const me = await signedInUser(h);
    const { user } = await h.client.call('getUser', { id: me.id }, { token: me.accessToken });
    expect(user).toMatchObject({ id: me.id, username: me.username });
  });

  it('GetArtist returns the public view to any other signed-in account: no username, email, role or updated_at', async () => {
    const input = anArtist({ producer: 'Big Label' });
    const { artist: registered } = await h.client.call('registerArtist', input);
    const reader = await signedInUser(h);
    const seen = await h.client.call('getArtist', { id: registered!.id }, { token: reader.accessToken });
    expect(seen).toEqual({
      view: ArtistView.ARTIST_VIEW_PUBLIC,
      artist: {
        id: registered!.id,
        username: '',
        email: '',
        author: input.author,
        producer: 'Big Label',
        country: input.country,
        description: input.description,
        role: Role.ROLE_UNSPECIFIED,
        createdAt: registered!.createdAt,
        updatedAt: undefined,
        emailVerified: false,
        emailVerifiedAt: undefined,
      },
    });
  });

  it('GetArtist returns the whole profile to the artist itself and to an admin', async () => {
    const artist = await signedInArtist(h);
    const admin = await signedInAdmin(h);
    for (const token of [artist.accessToken, admin.accessToken]) {
      const seen = await h.client.call('getArtist', { id: artist.id }, { token });
      expect(seen.view).toBe(ArtistView.ARTIST_VIEW_FULL);
      expect(seen.artist).toMatchObject({ id: artist.id, username: artist.username, email: expect.stringContaining('@'), role: Role.ROLE_ARTIST });
      expect(seen.artist!.updatedAt).toBeInstanceOf(Date);
    }
  });

  it('UpdateUser changes only the fields present', async () => {
    const me = await signedInUser(h);
    const before = (await h.client.call('getUser', { id: me.id }, { token: me.accessToken })).user!;
    const { user } = await h.client.call('updateUser', { id: me.id, age: 31, gender: Gender.GENDER_MALE }, { token: me.accessToken });
    expect(user).toMatchObject({ age: 31, gender: Gender.GENDER_MALE, username: before.username, email: before.email, country: before.country });
  });

  it('UpdateArtist changes only the fields present; producer "" clears it', async () => {
    const artist = await signedInArtist(h);
    const set = await h.client.call('updateArtist', { id: artist.id, producer: 'Indie' }, { token: artist.accessToken });
    expect(set.artist).toMatchObject({ producer: 'Indie', description: 'Makes music' });
    const cleared = await h.client.call('updateArtist', { id: artist.id, producer: '', description: 'New sound' }, { token: artist.accessToken });
    expect(cleared.artist!.producer).toBeUndefined();
    expect(cleared.artist!.description).toBe('New sound');
  });

  it('ChangePassword returns a fresh pair and the new password logs in', async () => {
    const me = await signedInUser(h);
    const { tokens } = await h.client.call('changePassword', { id: me.id, oldPassword: me.password, newPassword: 'a brand new password' }, { token: me.accessToken });
    expect(tokens!.tokenType).toBe('Bearer');
    await h.client.call('getUser', { id: me.id }, { token: tokens!.accessToken });
    await expect(h.client.call('login', { login: me.username, password: 'a brand new password' })).resolves.toBeDefined();
  });

  it('ValidateToken returns the claims of a valid access token', async () => {
    const me = await signedInUser(h);
    const claims = await h.client.call('validateToken', { accessToken: me.accessToken });
    expect(claims).toMatchObject({ subject: me.id, role: Role.ROLE_USER });
    expect(claims.sessionId).not.toBe('');
    expect(claims.tokenId).not.toBe('');
    expect(claims.expiresAt!.getTime()).toBeGreaterThan(claims.issuedAt!.getTime());
  });

  it('GetJwks returns the public keys as JSON and structured', async () => {
    const { jwksJson, keys } = await h.client.call('getJwks', {});
    const parsed = JSON.parse(jwksJson) as { keys: Record<string, string>[] };
    expect(parsed.keys).toHaveLength(1);
    expect(parsed.keys[0]).not.toHaveProperty('d');
    expect(keys).toEqual([expect.objectContaining({ kid: 'grpc-test', kty: 'OKP', crv: 'Ed25519', x: parsed.keys[0]!['x'] })]);
  });

  it('RevokeSessions returns how many sessions it ended', async () => {
    const me = await signedInUser(h);
    await h.client.call('login', { login: me.username, password: me.password });
    const { revoked } = await h.client.call('revokeSessions', { id: me.id }, { token: me.accessToken });
    expect(revoked).toBe(2);
  });

  it('ListSessions lists the devices newest first with address, user agent and name, and marks the caller’s own', async () => {
    const me = await signedInUser(h);
    const car = (await h.client.call('login', { login: me.username, password: me.password, deviceName: 'Car' })).tokens!;
    const { sessions } = await h.client.call('listSessions', { id: me.id }, { token: car.accessToken });
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ deviceName: 'Car', current: true, clientAddress: '127.0.0.1', userAgent: expect.stringContaining('grpc-node-js') });
    expect(sessions[1]).toMatchObject({ deviceName: '', current: false });
    expect(sessions[0]!.createdAt!.getTime()).toBeGreaterThanOrEqual(sessions[1]!.createdAt!.getTime());
    expect(sessions[0]!.lastUsedAt).toEqual(sessions[0]!.createdAt);
    expect(sessions[0]!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('RevokeSession ends the one session named and answers its account; RevokeSessions with keep_own keeps the caller’s', async () => {
    const me = await signedInUser(h);
    const laptop = (await h.client.call('login', { login: me.username, password: me.password, deviceName: 'Laptop' })).tokens!;
    await h.client.call('login', { login: me.username, password: me.password });
    const { sessions } = await h.client.call('listSessions', { id: me.id }, { token: me.accessToken });
    const laptopId = sessions.find((s) => s.deviceName === 'Laptop')!.sessionId;
    expect(await h.client.call('revokeSession', { sessionId: laptopId }, { token: me.accessToken })).toEqual({ accountId: me.id });
    expectStatus(await h.client.failure('getUser', { id: me.id }, { token: laptop.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    expect((await h.client.call('revokeSessions', { id: me.id, keepOwn: true }, { token: me.accessToken })).revoked).toBe(1);
    expect((await h.client.call('listSessions', { id: me.id }, { token: me.accessToken })).sessions.map((s) => s.current)).toEqual([true]);
  });

  it('ListSecurityEvents answers the account’s events newest first, filtered by type, paged with a token', async () => {
    const me = await signedInUser(h);
    await h.client.failure('login', { login: me.username, password: 'not my password' });
    await h.client.call('login', { login: me.username, password: me.password, deviceName: 'Tablet' });
    await h.core.service.flushSecurityEvents();
    const { events, nextPageToken } = await h.client.call('listSecurityEvents', { id: me.id, types: [], pageSize: 0, pageToken: '' }, { token: me.accessToken });
    expect(nextPageToken).toBe('');
    expect(events.map((e) => [e.type, e.reason])).toEqual([
      ['auth.login.succeeded', ''],
      ['auth.login.failed', 'bad_credentials'],
      ['auth.login.succeeded', ''],
    ]);
    expect(events[0]).toMatchObject({ clientAddress: '127.0.0.1', userAgent: expect.stringContaining('grpc-node-js'), sessionCount: 0 });
    const first = await h.client.call('listSecurityEvents', { id: me.id, types: ['auth.login.succeeded'], pageSize: 1, pageToken: '' }, { token: me.accessToken });
    const second = await h.client.call('listSecurityEvents', { id: me.id, types: ['auth.login.succeeded'], pageSize: 1, pageToken: first.nextPageToken }, { token: me.accessToken });
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual([events[0]!.id, events[2]!.id]);
    const bad = await h.client.failure('listSecurityEvents', { id: me.id, types: ['auth.unknown'], pageSize: 500, pageToken: 'x' }, { token: me.accessToken });
    expectStatus(bad, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
  });

  it('SetRole by an admin returns the updated profile as a oneof', async () => {
    const admin = await signedInAdmin(h);
    const user = await signedInUser(h);
    const artist = await signedInArtist(h);
    const asUser = await h.client.call('setRole', { id: user.id, role: Role.ROLE_ADMIN }, { token: admin.accessToken });
    expect(asUser.profile).toMatchObject({ $case: 'user', value: { id: user.id, role: Role.ROLE_ADMIN } });
    const asArtist = await h.client.call('setRole', { id: artist.id, role: Role.ROLE_ARTIST }, { token: admin.accessToken });
    expect(asArtist.profile).toMatchObject({ $case: 'artist', value: { id: artist.id } });
  });

  it('SearchAccounts by an admin pages through a username prefix in any case, each account once, profiles as a oneof', async () => {
    const admin = await signedInAdmin(h);
    const prefix = `srch${Date.now().toString(36)}`;
    const names = ['a', 'b', 'c'].map((letter) => `${prefix}_${letter}`);
    await h.client.call('registerUser', aUser({ username: names[0]!.toUpperCase() }));
    await h.client.call('registerArtist', anArtist({ username: names[1]! }));
    await h.client.call('registerUser', aUser({ username: names[2]! }));
    const first = await h.client.call('searchAccounts', SearchAccountsRequest.fromPartial({ usernamePrefix: prefix.toUpperCase(), pageSize: 2 }), { token: admin.accessToken });
    expect(first.accounts.map((entry) => entry.profile?.$case)).toEqual(['user', 'artist']);
    expect(first.accounts[0]!.disabled).toBeUndefined();
    expect(first.nextPageToken).not.toBe('');
    const second = await h.client.call('searchAccounts', SearchAccountsRequest.fromPartial({ usernamePrefix: prefix.toUpperCase(), pageSize: 2, pageToken: first.nextPageToken }), { token: admin.accessToken });
    expect(second.nextPageToken).toBe('');
    const seen = [...first.accounts, ...second.accounts].map((entry) => entry.profile!.value.username.toLowerCase());
    expect(seen).toEqual(names);
    const artists = await h.client.call('searchAccounts', SearchAccountsRequest.fromPartial({ usernamePrefix: prefix, kind: AccountKind.ACCOUNT_KIND_ARTIST }), { token: admin.accessToken });
    expect(artists.accounts.map((entry) => entry.profile!.value.username)).toEqual([names[1]]);
  });

  it('DisableAccount returns the account with why and until when; EnableAccount clears it', async () => {
    const admin = await signedInAdmin(h);
    const user = await signedInUser(h);
    const until = new Date(Date.now() + 3_600_000);
    const { account } = await h.client.call('disableAccount', { id: user.id, reason: 'spam', until }, { token: admin.accessToken });
    expect(account).toMatchObject({ profile: { $case: 'user', value: { id: user.id } }, disabled: { reason: 'spam', until } });
    const enabled = await h.client.call('enableAccount', { id: user.id }, { token: admin.accessToken });
    expect(enabled.account!.disabled).toBeUndefined();
  });

  it('DeleteAccount returns the account with deleted_at and when it will be erased; RestoreAccount clears it', async () => {
    const admin = await signedInAdmin(h);
    const user = await signedInUser(h);
    const before = Date.now();
    const { account, eraseAfter } = await h.client.call('deleteAccount', { id: user.id, currentPassword: user.password }, { token: user.accessToken });
    expect(account).toMatchObject({ profile: { $case: 'user', value: { id: user.id } }, deletedAt: expect.any(Date) });
    // The default grace period: 7 days.
    expect(eraseAfter!.getTime() - account!.deletedAt!.getTime()).toBe(7 * 86_400_000);
    expect(account!.deletedAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const restored = await h.client.call('restoreAccount', { id: user.id }, { token: admin.accessToken });
    expect(restored.account!.deletedAt).toBeUndefined();
  });

  it('ResetSecondFactors removes the TOTP and its recovery codes and ends the sessions; the password alone signs in again', async () => {
    const admin = await signedInAdmin(h);
    const user = await signedInUser(h);
    const { secret } = await h.client.call('beginTotpEnrolment', { id: user.id }, { token: user.accessToken });
    await h.client.call('confirmTotpEnrolment', { id: user.id, totpCode: totpCodeAt(secret, new Date()) }, { token: user.accessToken });
    expect((await h.client.call('login', { login: user.username, password: user.password })).mfaTicket).not.toBe('');
    const reset = await h.client.call('resetSecondFactors', { id: user.id }, { token: admin.accessToken });
    expect(reset).toEqual({ removed: [SecondFactor.SECOND_FACTOR_TOTP, SecondFactor.SECOND_FACTOR_RECOVERY_CODE], sessionsRevoked: 1 });
    expectStatus(await h.client.failure('getUser', { id: user.id }, { token: user.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    const login = await h.client.call('login', { login: user.username, password: user.password });
    expect(login.mfaTicket).toBe('');
    expect(login.tokens?.accessToken).toBeTruthy();
  });

  it('ExportAccountData returns one JSON document with the profile and the sessions', async () => {
    const user = await signedInUser(h);
    const { json } = await h.client.call('exportAccountData', { id: user.id }, { token: user.accessToken });
    const data = JSON.parse(json) as { format: string; account: { id: string }; sessions: unknown[] };
    expect(data.format).toBe('authsvc.account-export/1');
    expect(data.account.id).toBe(user.id);
    expect(data.sessions).toHaveLength(1);
  });
});
