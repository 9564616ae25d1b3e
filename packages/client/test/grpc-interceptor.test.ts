import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { AuthServiceService, UserProfile } from '@authsvc/proto/auth/v1/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';
import { accessTokenOf, createGrpcTokenAuth } from '../src/grpc/index.js';
import { ADA, stubVerifier } from './support/stub-verifier.support.js';

// Another service protected by the interceptor; auth.v1's own definition stands in for it.
describe('the grpc-js server interceptor', () => {
  let server: Server;
  let client: AuthClient;
  const handled: string[] = [];

  beforeAll(async () => {
    const verifier = stubVerifier({ 'good-token': ADA, 'revoked-token': 'revoked', 'unchecked-token': 'unverifiable' });
    server = new Server({ interceptors: [createGrpcTokenAuth(verifier, { publicMethods: ['/auth.v1.AuthService/GetJwks'] })] });
    server.addService(AuthServiceService, {
      getUser: (call: ServerUnaryCall<{ id: string }, unknown>, callback: sendUnaryData<unknown>) => {
        handled.push(call.request.id);
        callback(null, { user: UserProfile.fromPartial({ id: accessTokenOf(call)?.subject ?? 'nobody', username: accessTokenOf(call)?.role ?? '' }) });
      },
      getJwks: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => callback(null, { jwksJson: accessTokenOf(call) === undefined ? 'public' : 'token?', keys: [] }),
    });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    client = createAuthClient({ address: `127.0.0.1:${port}`, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it('lets a call with a valid bearer token reach its handler, which reads the verified token', async () => {
    const { user } = await client.getUser({ id: 'x1' }, { token: 'good-token' });
    expect(user).toMatchObject({ id: 'acc-ada', username: 'USER' });
    const lowerCase = await client.getUser({ id: 'x2' }, { metadata: { authorization: 'bearer good-token' } });
    expect(lowerCase.user?.id).toBe('acc-ada');
  });

  it('ends a call without a token, or with a refused one, with UNAUTHENTICATED before its handler runs', async () => {
    await expect(client.getUser({ id: 'r1' })).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: 'an access token is required' });
    await expect(client.getUser({ id: 'r2' }, { token: 'revoked-token' })).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: 'the session of the access token has ended' });
    await expect(client.getUser({ id: 'r3' }, { metadata: { authorization: 'Basic good-token' } })).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    expect(handled.filter((id) => id.startsWith('r'))).toEqual([]);
  });

  it('answers UNAVAILABLE when the token cannot be checked now (the caller should retry, not sign in again)', async () => {
    await expect(client.getUser({ id: 'u1' }, { token: 'unchecked-token' })).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(handled).not.toContain('u1');
  });

  it('serves a public method without a token', async () => {
    await expect(client.getJwks({})).resolves.toMatchObject({ jwksJson: 'public' });
  });
});
