import { status } from '@grpc/grpc-js';
import { FileDescriptorProto } from 'ts-proto-descriptors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anArtist, aUser, expectStatus, startHarness, type Harness } from './support/grpc-harness.support.js';
import { checkHealth, reflect } from './support/infrastructure-clients.support.js';
import { signedInUser } from './support/accounts.support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('health (grpc.health.v1)', () => {
  it('reports the reporter\'s status for "" and auth.v1.AuthService, and follows its changes', async () => {
    expect(await checkHealth(h.address, '')).toBe('SERVING');
    expect(await checkHealth(h.address, 'auth.v1.AuthService')).toBe('SERVING');
    h.health.set('NOT_SERVING');
    try {
      expect(await checkHealth(h.address, '')).toBe('NOT_SERVING');
      expect(await checkHealth(h.address, 'auth.v1.AuthService')).toBe('NOT_SERVING');
    } finally {
      h.health.set('SERVING');
    }
    expect(await checkHealth(h.address, '')).toBe('SERVING');
  });

  it('an unknown service name is NOT_FOUND', async () => {
    await expect(checkHealth(h.address, 'no.such.Service')).rejects.toMatchObject({ code: status.NOT_FOUND });
  });
});

describe('reflection (grpc.reflection.v1)', () => {
  it('lists the API and health services', async () => {
    const response = await reflect(h.address, { listServices: '' });
    const names = response.listServicesResponse!.service.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['auth.v1.AuthService', 'grpc.health.v1.Health']));
  });

  it('serves auth.proto for the service symbol, with its RPCs', async () => {
    const response = await reflect(h.address, { fileContainingSymbol: 'auth.v1.AuthService' });
    const files = response.fileDescriptorResponse!.fileDescriptorProto.map((bytes) => FileDescriptorProto.decode(bytes));
    const auth = files.find((file) => file.name === 'auth/v1/auth.proto');
    expect(auth?.service[0]?.method.map((m) => m.name)).toContain('ValidateToken');
    expect(auth?.service[0]?.method).toHaveLength(41);
  });
});

describe('request id and access log', () => {
  it('echoes the caller\'s x-request-id and logs one line per call without bodies', async () => {
    const input = aUser();
    const { response, metadata } = await h.client.callWithMetadata('registerUser', input, { metadata: { 'x-request-id': 'req-abc.1' } });
    expect(metadata.get('x-request-id')).toEqual(['req-abc.1']);
    const lines = h.logger.lines.filter((line) => line.fields['requestId'] === 'req-abc.1');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields).toMatchObject({ method: 'RegisterUser', code: 'OK', accountId: response.user!.id, clientAddress: '127.0.0.1' });
    expect(Object.keys(lines[0]!.fields).sort()).toEqual(['accountId', 'clientAddress', 'code', 'durationMs', 'method', 'requestId']);
    expect(h.completed).toContainEqual(expect.objectContaining({ method: 'RegisterUser', code: 'OK' }));
  });

  it('generates a request id when none (or an unsafe one) is given', async () => {
    const plain = await h.client.callWithMetadata('getJwks', {});
    expect(plain.metadata.get('x-request-id')[0]).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await h.client.callWithMetadata('getJwks', {}, { metadata: { 'x-request-id': 'evil "id" with spaces' } });
    expect(unsafe.metadata.get('x-request-id')[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the account id of authenticated calls and the reason of failures', async () => {
    const me = await signedInUser(h);
    await h.client.call('login', { login: me.username, password: me.password }, { metadata: { 'x-request-id': 'who-0' } });
    await h.client.call('getUser', { id: me.id }, { token: me.accessToken, metadata: { 'x-request-id': 'who-1' } });
    await h.client.failure('getUser', { id: me.id }, { metadata: { 'x-request-id': 'who-2' } });
    const byId = (id: string) => h.logger.lines.find((line) => line.fields['requestId'] === id)!.fields;
    expect(byId('who-0')).toMatchObject({ method: 'Login', code: 'OK', accountId: me.id });
    expect(byId('who-1')).toMatchObject({ method: 'GetUser', code: 'OK', accountId: me.id });
    expect(byId('who-2')).toMatchObject({ method: 'GetUser', code: 'UNAUTHENTICATED', reason: 'UNAUTHENTICATED', accountId: null });
  });

  it('logs the account a refresh token belongs to on RefreshToken and Logout (null once the session is gone)', async () => {
    const me = await signedInUser(h);
    const refreshed = await h.client.call('refreshToken', { refreshToken: me.refreshToken }, { metadata: { 'x-request-id': 'rt-1' } });
    await h.client.call('logout', { refreshToken: refreshed.tokens!.refreshToken }, { metadata: { 'x-request-id': 'rt-2' } });
    await h.client.call('logout', { refreshToken: refreshed.tokens!.refreshToken }, { metadata: { 'x-request-id': 'rt-3' } });
    const byId = (id: string) => h.logger.lines.find((line) => line.fields['requestId'] === id)!.fields;
    expect(byId('rt-1')).toMatchObject({ method: 'RefreshToken', code: 'OK', accountId: me.id });
    expect(byId('rt-2')).toMatchObject({ method: 'Logout', code: 'OK', accountId: me.id });
    expect(byId('rt-3')).toMatchObject({ method: 'Logout', code: 'OK', accountId: null });
  });

  it('a full scenario leaves no password, access token or refresh token in the logs', async () => {
    const secrets: string[] = [];
    const input = aUser();
    secrets.push(input.password);
    const { user } = await h.client.call('registerUser', input);
    const login = await h.client.call('login', { login: input.username, password: input.password });
    secrets.push(login.tokens!.accessToken, login.tokens!.refreshToken);
    await h.client.failure('login', { login: input.username, password: 'wrong-password-xyz' });
    secrets.push('wrong-password-xyz');
    const refreshed = (await h.client.call('refreshToken', { refreshToken: login.tokens!.refreshToken })).tokens!;
    secrets.push(refreshed.accessToken, refreshed.refreshToken);
    await h.client.call('validateToken', { accessToken: refreshed.accessToken });
    await h.client.call('changePassword', { id: user!.id, oldPassword: input.password, newPassword: 'next-password-123' }, { token: refreshed.accessToken });
    secrets.push('next-password-123');
    await h.client.failure('getUser', { id: user!.id }, { token: 'bogus-token-value' });
    secrets.push('bogus-token-value');
    await h.client.call('registerArtist', anArtist({ password: 'artist-password-987' }));
    secrets.push('artist-password-987');
    const text = h.logger.text();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('limits', () => {
  it('an oversize request -> RESOURCE_EXHAUSTED, and the server keeps serving', async () => {
    const error = await h.client.failure('registerArtist', anArtist({ description: 'x'.repeat(70 * 1024) }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    await expect(h.client.call('getJwks', {})).resolves.toBeDefined();
  });

  it('a call whose deadline has passed is not processed', async () => {
    const input = aUser();
    const error = await h.client.failure('registerUser', input, { deadline: new Date(Date.now() - 1000) });
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    // Not registered: logging in with it fails.
    expectStatus(await h.client.failure('login', { login: input.username, password: input.password }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
  });
});
