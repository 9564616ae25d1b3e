import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { Code, connectFailure, detailsOf, PROTOCOLS, startConnectHarness, type ConnectHarness } from './connect-harness.support.js';

describe('the Connect and gRPC-Web server: the grpc-js server\'s handlers and pipeline, through @connectrpc/connect-node clients', () => {
  let harness: ConnectHarness;
  beforeAll(async () => {
    harness = await startConnectHarness();
  });
  afterAll(() => harness.close());

  describe.each(PROTOCOLS)('%s', (protocol) => {
    it('registers, logs in, reads the profile with the access token and refreshes', async () => {
      const client = harness.client(protocol);
      const user = aUser();
      const registered = await client['registerUser']!(user);
      expect(registered['user']).toMatchObject({ username: user.username, email: user.email, country: user.country, age: user.age });
      const login = await client['login']!({ login: user.email, password: user.password });
      expect(login['accountId']).toBe(registered['user'].id);
      const profile = await client['getUser']!({ id: login['accountId'] }, { headers: { authorization: `Bearer ${login['tokens'].accessToken}` } });
      expect(profile['user'].username).toBe(user.username);
      const refreshed = await client['refreshToken']!({ refreshToken: login['tokens'].refreshToken });
      expect(refreshed['tokens'].refreshToken).not.toBe(login['tokens'].refreshToken);
      const validated = await client['validateToken']!({ accessToken: refreshed['tokens'].accessToken });
      expect(validated['subject']).toBe(login['accountId']);
    });

    it('a malformed request: InvalidArgument with the ErrorInfo reason and the offending fields, as over gRPC', async () => {
      const error = await connectFailure(harness.client(protocol)['registerUser']!(aUser({ email: 'not-an-email', username: '' })));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(detailsOf(error)).toEqual({ reason: 'VALIDATION_FAILED', fields: expect.arrayContaining(['email', 'username']) });
    });

    it('a taken email: AlreadyExists with reason EMAIL_TAKEN; an RPC that needs a token called without one: Unauthenticated', async () => {
      const client = harness.client(protocol);
      const user = aUser();
      await client['registerUser']!(user);
      const taken = await connectFailure(client['registerUser']!(aUser({ email: user.email })));
      expect(taken.code).toBe(Code.AlreadyExists);
      expect(detailsOf(taken).reason).toBe('EMAIL_TAKEN');
      const anonymous = await connectFailure(client['getUser']!({ id: '01a24a39-33e4-753b-9d33-827f1848d674' }));
      expect(anonymous.code).toBe(Code.Unauthenticated);
      expect(detailsOf(anonymous).reason).toBe('UNAUTHENTICATED');
    });

    it('the pipeline ran: the request id comes back in the headers and the error trailers, and the access log has the call', async () => {
      const client = harness.client(protocol);
      let headers: Headers | undefined;
      await client['getJwks']!({}, { headers: { 'x-request-id': `rid-${protocol}-ok` }, onHeader: (h) => (headers = h) });
      expect(headers?.get('x-request-id')).toBe(`rid-${protocol}-ok`);
      const failed = await connectFailure(client['getUser']!({ id: 'x' }, { headers: { 'x-request-id': `rid-${protocol}-failed` } }));
      expect(failed.metadata.get('x-request-id')).toBe(`rid-${protocol}-failed`);
      const lines = harness.logger.lines.filter((line) => String(line.fields['requestId']).startsWith(`rid-${protocol}-`));
      expect(lines.map((line) => line.fields)).toEqual([
        expect.objectContaining({ method: 'GetJwks', code: 'OK', clientAddress: '127.0.0.1' }),
        expect.objectContaining({ method: 'GetUser', code: 'UNAUTHENTICATED', reason: 'UNAUTHENTICATED' }),
      ]);
      expect(harness.completed).toContainEqual({ method: 'GetJwks', code: 'OK' });
    });
  });

  it('the Connect protocol\'s JSON encoding works too (what curl or a browser without protobuf sends)', async () => {
    const user = aUser();
    const response = await fetch(`${harness.baseUrl}/auth.v1.AuthService/RegisterUser`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, email: user.email, password: user.password, gender: 'GENDER_FEMALE', country: user.country, age: user.age }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { username: user.username, email: user.email } });
    const invalid = await fetch(`${harness.baseUrl}/auth.v1.AuthService/Login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":"","password":""}' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'invalid_argument', details: [expect.objectContaining({ type: 'google.rpc.ErrorInfo' }), expect.objectContaining({ type: 'google.rpc.BadRequest' })] });
  });
});
