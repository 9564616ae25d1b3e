import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthServiceError, createAuthClient, decodeStatusDetails, isAuthServiceError, type AuthClient } from '../src/index.js';
import { rpcFailure, startFakeAuthServer, type FakeAuthServer } from './support/fake-auth-server.support.js';

describe('rich errors', () => {
  let server: FakeAuthServer;
  let client: AuthClient;
  beforeAll(async () => {
    server = await startFakeAuthServer({
      registerUser: () => {
        throw rpcFailure(status.INVALID_ARGUMENT, 'invalid request', {
          reason: 'VALIDATION_FAILED',
          fieldViolations: [
            { field: 'username', description: 'must be 3 to 32 characters' },
            { field: 'age', description: 'must be between 1 and 150' },
          ],
          trailers: { 'x-request-id': 'req-42' },
        });
      },
      login: () => {
        throw rpcFailure(status.RESOURCE_EXHAUSTED, 'too many failed logins', { reason: 'LOGIN_THROTTLED', retryDelayMs: 61_250 });
      },
      getUser: () => {
        throw rpcFailure(status.INTERNAL, 'internal error (correlation id c-7)', { requestId: 'c-7', trailers: { 'x-request-id': 'c-7' }, unknownType: 'acme.v1.Hint' });
      },
      getArtist: () => {
        throw { code: status.NOT_FOUND, details: 'plain failure', metadata: new Metadata() } satisfies Partial<ServiceError>;
      },
    });
    client = createAuthClient({ address: server.address });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  const failureOf = (call: Promise<unknown>): Promise<AuthServiceError> =>
    call.then(
      () => {
        throw new Error('the call was expected to fail');
      },
      (error: unknown) => {
        if (!isAuthServiceError(error)) throw error;
        return error;
      },
    );

  it('decode into the reason, the field violations and the request id', async () => {
    const failure = await failureOf(client.registerUser({ username: '!', email: 'a@b.c', password: 'x', gender: 1, country: 'FR', age: 500 }));
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT, codeName: 'INVALID_ARGUMENT', details: 'invalid request', reason: 'VALIDATION_FAILED', requestId: 'req-42', retryDelayMs: undefined });
    expect(failure.fieldViolations).toEqual([
      { field: 'username', description: 'must be 3 to 32 characters' },
      { field: 'age', description: 'must be between 1 and 150' },
    ]);
    expect(failure.message).toBe('INVALID_ARGUMENT: invalid request');
  });

  it('decode the retry delay of RetryInfo to milliseconds', async () => {
    const failure = await failureOf(client.login({ login: 'ada', password: 'wrong' }));
    expect(failure).toMatchObject({ codeName: 'RESOURCE_EXHAUSTED', reason: 'LOGIN_THROTTLED', retryDelayMs: 61_250, fieldViolations: [] });
  });

  it("take the request id of RequestInfo, and keep a detail of an unknown type by its URL", async () => {
    const failure = await failureOf(client.getUser({ id: 'x' }));
    expect(failure).toMatchObject({ codeName: 'INTERNAL', reason: undefined, requestId: 'c-7' });
    expect(failure.statusDetails.map((d) => d.kind)).toEqual(['RequestInfo', 'unknown']);
    expect(failure.statusDetails[1]).toEqual({ kind: 'unknown', typeUrl: 'type.googleapis.com/acme.v1.Hint' });
  });

  it('stay plain grpc-js ServiceErrors when the server sends no details', async () => {
    const failure = await failureOf(client.getArtist({ id: 'x' }));
    expect(failure).toMatchObject({ code: status.NOT_FOUND, details: 'plain failure', reason: undefined, requestId: undefined, fieldViolations: [], statusDetails: [] });
    expect(failure.metadata).toBeInstanceOf(Metadata);
  });

  it('decodeStatusDetails returns null for a trailer that is missing or not a google.rpc.Status', () => {
    expect(decodeStatusDetails(new Metadata())).toBeNull();
    const garbage = new Metadata();
    garbage.set('grpc-status-details-bin', Buffer.from([0xff, 0xff, 0xff]));
    expect(decodeStatusDetails(garbage)).toBeNull();
  });
});
