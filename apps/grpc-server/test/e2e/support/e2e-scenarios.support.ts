import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtistView, Gender, Role } from '@authsvc/proto/auth/v1/auth';
import { TestClient } from '@authsvc/test-support/grpc';
import type { ServerProcess } from '@authsvc/test-support/server';
import { aUser, anArtist, expectStatus, violatedFields } from '../../grpc/support/grpc-harness.support.js';
import { checkHealth, reflect } from '../../grpc/support/infrastructure-clients.support.js';
import type { AdminCredentials } from './server-environment.support.js';

interface Session {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * The end-to-end scenarios, run against a real server process in each mode. `start` launches it;
 * `secrets` collects every password and token the scenarios handle, checked against the process output.
 */
/** A started server and the admin `create-admin` made for it before it started. */
export interface StartedServer {
  server: ServerProcess;
  admin: AdminCredentials;
}

export function describeServerScenarios(mode: string, start: () => Promise<StartedServer>, cleanup: () => Promise<void>): void {
  describe(`the server process (${mode} mode)`, () => {
    let server: ServerProcess;
    let admin: AdminCredentials;
    let client: TestClient;
    const secrets: string[] = [];

    beforeAll(async () => {
      ({ server, admin } = await start());
      client = new TestClient(server.address);
    }, 120_000);

    afterAll(async () => {
      client?.close();
      await server?.stop('SIGKILL');
      await cleanup();
    }, 60_000);

    async function signUp(kind: 'user' | 'artist' = 'user'): Promise<Session> {
      const input = kind === 'user' ? aUser() : anArtist();
      const id = kind === 'user' ? (await client.call('registerUser', input as ReturnType<typeof aUser>)).user!.id : (await client.call('registerArtist', input as ReturnType<typeof anArtist>)).artist!.id;
      const login = await client.call('login', { login: input.username, password: input.password });
      secrets.push(input.password, login.tokens!.accessToken, login.tokens!.refreshToken);
      return { id, username: input.username, password: input.password, accessToken: login.tokens!.accessToken, refreshToken: login.tokens!.refreshToken };
    }

    it('serves health and reflection', async () => {
      expect(await checkHealth(server.address, '')).toBe('SERVING');
      expect(await checkHealth(server.address, 'auth.v1.AuthService')).toBe('SERVING');
      const listed = await reflect(server.address, { listServices: '' });
      expect(listed.listServicesResponse!.service.map((s) => s.name)).toEqual(expect.arrayContaining(['auth.v1.AuthService', 'grpc.health.v1.Health']));
    });

    it('registers, logs in, reads, updates, validates and publishes keys', async () => {
      const me = await signUp('user');
      const artist = await signUp('artist');
      expect((await client.call('getUser', { id: me.id }, { token: me.accessToken })).user).toMatchObject({ id: me.id, role: Role.ROLE_USER });
      const seen = await client.call('getArtist', { id: artist.id }, { token: me.accessToken });
      expect(seen).toMatchObject({ view: ArtistView.ARTIST_VIEW_PUBLIC, artist: { id: artist.id, username: '', email: '', role: Role.ROLE_UNSPECIFIED } });
      const own = await client.call('getArtist', { id: artist.id }, { token: artist.accessToken });
      expect(own).toMatchObject({ view: ArtistView.ARTIST_VIEW_FULL, artist: { id: artist.id, username: artist.username, role: Role.ROLE_ARTIST } });
      expect((await client.call('updateUser', { id: me.id, age: 55, gender: Gender.GENDER_MALE }, { token: me.accessToken })).user).toMatchObject({ age: 55, gender: Gender.GENDER_MALE, username: me.username });
      const updated = await client.call('updateArtist', { id: artist.id, producer: 'Label' }, { token: artist.accessToken });
      expect(updated.artist).toMatchObject({ producer: 'Label', description: 'Makes music' });
      expect((await client.call('validateToken', { accessToken: me.accessToken })).subject).toBe(me.id);
      const jwks = await client.call('getJwks', {});
      expect(JSON.parse(jwks.jwksJson).keys.length).toBeGreaterThan(0);
      expect(jwks.keys[0]!.kid).not.toBe('');
    });

    it('rotates refresh tokens, detects reuse and revokes the session', async () => {
      const me = await signUp();
      const second = (await client.call('refreshToken', { refreshToken: me.refreshToken })).tokens!;
      const third = (await client.call('refreshToken', { refreshToken: second.refreshToken })).tokens!;
      secrets.push(second.accessToken, second.refreshToken, third.accessToken, third.refreshToken);
      expectStatus(await client.failure('refreshToken', { refreshToken: me.refreshToken }), status.UNAUTHENTICATED, 'REFRESH_TOKEN_REUSED');
      expectStatus(await client.failure('getUser', { id: me.id }, { token: third.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    });

    it('logout, password change and RevokeSessions end sessions', async () => {
      const me = await signUp();
      const other = (await client.call('login', { login: me.username, password: me.password })).tokens!;
      const third = (await client.call('login', { login: me.username, password: me.password })).tokens!;
      secrets.push(other.accessToken, other.refreshToken, third.accessToken, third.refreshToken);
      expect(await client.call('logout', { refreshToken: third.refreshToken })).toEqual({});
      expectStatus(await client.failure('validateToken', { accessToken: third.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
      const fresh = (await client.call('changePassword', { id: me.id, oldPassword: me.password, newPassword: 'e2e new password' }, { token: me.accessToken })).tokens!;
      secrets.push('e2e new password', fresh.accessToken, fresh.refreshToken);
      expectStatus(await client.failure('getUser', { id: me.id }, { token: other.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
      expect((await client.call('revokeSessions', { id: me.id }, { token: fresh.accessToken })).revoked).toBe(1);
      expectStatus(await client.failure('getUser', { id: me.id }, { token: fresh.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
    });

    it('three devices: lists them newest first, revokes one, the other two live', async () => {
      const me = await signUp();
      const devices = [];
      for (const deviceName of ['Phone', 'Car', 'Speaker']) {
        const tokens = (await client.call('login', { login: me.username, password: me.password, deviceName })).tokens!;
        secrets.push(tokens.accessToken, tokens.refreshToken);
        devices.push({ deviceName, tokens });
      }
      const [phone, car, speaker] = devices as [(typeof devices)[0], (typeof devices)[0], (typeof devices)[0]];
      // The car refreshes: its last use moves, nothing else does.
      const carTokens = (await client.call('refreshToken', { refreshToken: car.tokens.refreshToken })).tokens!;
      secrets.push(carTokens.accessToken, carTokens.refreshToken);
      const listed = (await client.call('listSessions', { id: me.id }, { token: phone.tokens.accessToken })).sessions;
      expect(listed.map((s) => [s.deviceName, s.current])).toEqual([
        ['Speaker', false],
        ['Car', false],
        ['Phone', true],
        ['', false],
      ]);
      const carSession = listed[1]!;
      expect(carSession.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(carSession.createdAt!.getTime());
      expect(carSession.clientAddress).not.toBe('');
      expect(await client.call('revokeSession', { sessionId: carSession.sessionId }, { token: phone.tokens.accessToken })).toEqual({ accountId: me.id });
      expectStatus(await client.failure('getUser', { id: me.id }, { token: carTokens.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
      expectStatus(await client.failure('refreshToken', { refreshToken: carTokens.refreshToken }), status.UNAUTHENTICATED, 'REFRESH_TOKEN_INVALID');
      for (const live of [phone, speaker]) {
        await expect(client.call('getUser', { id: me.id }, { token: live.tokens.accessToken })).resolves.toBeDefined();
        const refreshed = (await client.call('refreshToken', { refreshToken: live.tokens.refreshToken })).tokens!;
        secrets.push(refreshed.accessToken, refreshed.refreshToken);
      }
      const after = (await client.call('listSessions', { id: me.id }, { token: phone.tokens.accessToken })).sessions;
      expect(after.map((s) => s.deviceName)).toEqual(['Speaker', 'Phone', '']);
    });

    it('answers each documented error with its status and details', async () => {
      const me = await signUp();
      const invalid = await client.failure('registerUser', aUser({ username: '!', age: 500, gender: Gender.GENDER_FEMALE }));
      expectStatus(invalid, status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
      expect(violatedFields(invalid)).toEqual(expect.arrayContaining(['username', 'age']));
      expect(violatedFields(await client.failure('registerUser', aUser({ gender: Gender.GENDER_UNSPECIFIED })))).toEqual(['gender']);
      expectStatus(await client.failure('registerUser', aUser({ username: me.username.toUpperCase() })), status.ALREADY_EXISTS, 'USERNAME_TAKEN');
      expectStatus(await client.failure('login', { login: me.username, password: 'not it at all' }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
      expectStatus(await client.failure('getUser', { id: me.id }), status.UNAUTHENTICATED, 'UNAUTHENTICATED');
      expectStatus(await client.failure('getUser', { id: me.id }, { token: me.refreshToken }), status.UNAUTHENTICATED, 'ACCESS_TOKEN_INVALID');
      expectStatus(await client.failure('getArtist', { id: '0190a000-0000-7000-8000-000000000000' }, { token: me.accessToken }), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND');
      expectStatus(await client.failure('refreshToken', { refreshToken: 'forged' }), status.UNAUTHENTICATED, 'REFRESH_TOKEN_INVALID');
      const tooBig = await client.failure('registerArtist', anArtist({ description: 'x'.repeat(70 * 1024) }));
      expect(tooBig.code).toBe(status.RESOURCE_EXHAUSTED);
      await expect(client.call('getJwks', {})).resolves.toBeDefined();
    });

    it('enforces who may call what', async () => {
      const [user, other, artist] = await Promise.all([signUp(), signUp(), signUp('artist')]);
      const denied = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
      await denied(client.call('getUser', { id: user.id }, { token: other.accessToken }));
      await denied(client.call('updateUser', { id: user.id, age: 20 }, { token: artist.accessToken }));
      await denied(client.call('updateArtist', { id: artist.id, description: 'x' }, { token: user.accessToken }));
      await denied(client.call('changePassword', { id: user.id, oldPassword: user.password, newPassword: 'whatever123' }, { token: other.accessToken }));
      await denied(client.call('revokeSessions', { id: user.id }, { token: other.accessToken }));
      await denied(client.call('setRole', { id: user.id, role: Role.ROLE_ADMIN }, { token: user.accessToken }));
      await expect(client.call('getArtist', { id: artist.id }, { token: other.accessToken })).resolves.toBeDefined();
      for (const rpc of ['getUser', 'getArtist', 'updateUser', 'updateArtist', 'revokeSessions'] as const) {
        await expect(client.call(rpc, { id: user.id } as never)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
      }
    });

    it('an admin made by create-admin may read anyone and set roles; the old role claim dies with the sessions', async () => {
      const user = await signUp();
      const login = await client.call('login', { login: admin.login, password: admin.password });
      secrets.push(admin.password, login.tokens!.accessToken, login.tokens!.refreshToken);
      expect(login.role).toBe(Role.ROLE_ADMIN);
      const token = login.tokens!.accessToken;
      await expect(client.call('getUser', { id: user.id }, { token })).resolves.toBeDefined();
      const updated = await client.call('setRole', { id: user.id, role: Role.ROLE_ADMIN }, { token });
      expect(updated.profile).toMatchObject({ $case: 'user', value: { id: user.id, role: Role.ROLE_ADMIN } });
      expectStatus(await client.failure('validateToken', { accessToken: user.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
      expect((await client.call('revokeSessions', { id: user.id }, { token })).revoked).toBe(0);
    });

    it('reads account ids in any letter case: SetRole and RevokeSessions revoke the sessions of the account found', async () => {
      const login = await client.call('login', { login: admin.login, password: admin.password });
      secrets.push(login.tokens!.accessToken, login.tokens!.refreshToken);
      const token = login.tokens!.accessToken;
      const promoted = await signUp();
      await client.call('setRole', { id: promoted.id, role: Role.ROLE_ADMIN }, { token });
      const asAdmin = (await client.call('login', { login: promoted.username, password: promoted.password })).tokens!;
      secrets.push(asAdmin.accessToken, asAdmin.refreshToken);
      expect((await client.call('validateToken', { accessToken: asAdmin.accessToken })).role).toBe(Role.ROLE_ADMIN);
      const demoted = await client.call('setRole', { id: promoted.id.toUpperCase(), role: Role.ROLE_USER }, { token });
      expect(demoted.profile).toMatchObject({ $case: 'user', value: { id: promoted.id, role: Role.ROLE_USER } });
      expectStatus(await client.failure('validateToken', { accessToken: asAdmin.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');

      const user = await signUp();
      const second = (await client.call('login', { login: user.username, password: user.password })).tokens!;
      secrets.push(second.accessToken, second.refreshToken);
      expect((await client.call('revokeSessions', { id: user.id.toUpperCase() }, { token })).revoked).toBe(2);
      expectStatus(await client.failure('validateToken', { accessToken: user.accessToken }), status.UNAUTHENTICATED, 'SESSION_REVOKED');
      expectStatus(await client.failure('getUser', { id: 'not-a-uuid' }, { token }), status.INVALID_ARGUMENT, 'VALIDATION_FAILED');
    });

    it('throttles logins with RetryInfo, whatever the password', async () => {
      const input = aUser();
      await client.call('registerUser', input);
      secrets.push(input.password);
      for (let i = 0; i < 3; i += 1) await client.failure('login', { login: input.username, password: 'wrong password' });
      const decoded = expectStatus(await client.failure('login', { login: input.username, password: input.password }), status.RESOURCE_EXHAUSTED, 'LOGIN_THROTTLED');
      expect(decoded.details.map((d) => d.kind)).toContain('RetryInfo');
    });

    it('never writes a password or token to its output', () => {
      const output = server.output();
      expect(output).toContain('gRPC listening');
      for (const secret of secrets) expect(output).not.toContain(secret);
      const rpcLines = server.logLines().filter((line) => line['method'] === 'Login');
      expect(rpcLines.length).toBeGreaterThan(0);
    });

    it('on SIGTERM finishes the calls in flight and exits 0', async () => {
      const inputs = Array.from({ length: 20 }, () => aUser());
      const calls = inputs.map((input) => client.call('registerUser', input).then(() => 'OK', (error: { code: number }) => status[error.code]));
      // Long enough for the calls to reach the server, short enough that most are still being processed.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const exitCode = server.stop('SIGTERM');
      const outcomes = await Promise.all(calls);
      expect(await exitCode).toBe(0);
      // A call either completed, or arrived after the server stopped accepting: never cut off half-way.
      expect(outcomes.every((outcome) => outcome === 'OK' || outcome === 'UNAVAILABLE'), outcomes.join(',')).toBe(true);
      expect(outcomes).toContain('OK');
    }, 30_000);
  });
}
