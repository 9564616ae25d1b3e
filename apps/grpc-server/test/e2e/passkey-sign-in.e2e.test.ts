import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '@authsvc/core/fixtures';
import { SecondFactor } from '@authsvc/proto/auth/v1/auth';
import { temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { baseEnvironment } from './support/server-environment.support.js';

// Passkeys through a real server process (embedded mode): a software authenticator (P-256, attestation "none")
// plays the browser and the key, registering and signing in over gRPC as navigator.credentials would.
const dataDir = temporaryDir('authsvc-e2e-passkey-');
const ORIGIN = 'http://localhost:8080';

describe('passkey registration and sign-in through the server process', () => {
  let server: ServerProcess;
  let client: TestClient;

  beforeAll(async () => {
    server = await startServerProcess({ env: { ...baseEnvironment(dataDir.path), AUTH_WEBAUTHN_RP_ID: 'localhost', AUTH_WEBAUTHN_ORIGINS: ORIGIN } });
    client = new TestClient(server.address);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await server?.stop('SIGKILL');
    await dataDir.remove();
  }, 60_000);

  async function userWithPasskey(key: SoftwareAuthenticator) {
    const input = aUser();
    const id = (await client.call('registerUser', input)).user!.id;
    const token = (await client.call('login', { login: input.username, password: input.password, deviceName: '' })).tokens!.accessToken;
    const { options } = await client.call('beginPasskeyRegistration', { id }, { token });
    const done = await client.call('finishPasskeyRegistration', { id, response: key.create(options), name: 'Laptop' }, { token });
    return { id, input, token, ...done };
  }

  it('registers a passkey, then uses it as the second factor of CompleteLogin (amr pwd + hwk)', async () => {
    const key = new SoftwareAuthenticator({ origin: ORIGIN });
    const { id, input, token, credentialId, recoveryCodes } = await userWithPasskey(key);
    expect(recoveryCodes).toHaveLength(10);
    const listed = await client.call('listPasskeys', { id }, { token });
    expect(listed.passkeys.map((p) => [p.credentialId, p.name, p.synced])).toEqual([[credentialId, 'Laptop', false]]);

    const login = await client.call('login', { login: input.username, password: input.password, deviceName: '' });
    expect(login.secondFactors).toEqual([SecondFactor.SECOND_FACTOR_PASSKEY, SecondFactor.SECOND_FACTOR_RECOVERY_CODE]);
    const { options } = await client.call('beginPasskeyLogin', { ticket: login.mfaTicket });
    const assertion = key.get(options);
    const done = await client.call('completeLogin', { ticket: login.mfaTicket, totpCode: '', recoveryCode: '', passkeyAssertion: assertion });
    expect((await client.call('validateToken', { accessToken: done.tokens!.accessToken })).amr).toEqual(['pwd', 'hwk', 'mfa']);

    // The same assertion again: its challenge was taken.
    const again = await client.call('login', { login: input.username, password: input.password, deviceName: '' });
    const replay = await client.failure('completeLogin', { ticket: again.mfaTicket, totpCode: '', recoveryCode: '', passkeyAssertion: assertion });
    expect([replay.codeName, replay.reason]).toEqual(['UNAUTHENTICATED', 'SECOND_FACTOR_INVALID']);
  });

  it('signs in without a password with a synced discoverable passkey (amr swk), and removes it after that sign-in', async () => {
    const key = new SoftwareAuthenticator({ origin: ORIGIN, backedUp: true, counter: false });
    const { id, token, credentialId } = await userWithPasskey(key);
    const stale = await client.failure('removePasskey', { id, credentialId }, { token });
    expect(stale.reason).toBe('REAUTHENTICATION_REQUIRED');

    const { options } = await client.call('beginPasskeyLogin', { ticket: '' });
    const done = await client.call('finishPasskeyLogin', { response: key.get(options), deviceName: 'Phone' });
    expect(done.accountId).toBe(id);
    const fresh = done.tokens!.accessToken;
    expect((await client.call('validateToken', { accessToken: fresh })).amr).toEqual(['swk']);
    const { sessions } = await client.call('listSessions', { id }, { token: fresh });
    expect(sessions.find((s) => s.current)?.deviceName).toBe('Phone');

    await client.call('removePasskey', { id, credentialId }, { token: fresh });
    expect((await client.call('listPasskeys', { id }, { token: fresh })).passkeys).toEqual([]);
    const gone = await client.call('beginPasskeyLogin', { ticket: '' });
    const refused = await client.failure('finishPasskeyLogin', { response: key.get(gone.options), deviceName: '' });
    expect([refused.codeName, refused.reason]).toEqual(['UNAUTHENTICATED', 'SECOND_FACTOR_INVALID']);
  });

  it('refuses a response from another origin and names a malformed one', async () => {
    const phishing = new SoftwareAuthenticator({ origin: 'http://localhost.evil.example' });
    const input = aUser();
    const id = (await client.call('registerUser', input)).user!.id;
    const token = (await client.call('login', { login: input.username, password: input.password, deviceName: '' })).tokens!.accessToken;
    const { options } = await client.call('beginPasskeyRegistration', { id }, { token });
    const refused = await client.failure('finishPasskeyRegistration', { id, response: phishing.create(options), name: '' }, { token });
    expect(refused.reason).toBe('SECOND_FACTOR_INVALID');
    const malformed = await client.failure('finishPasskeyLogin', { response: 'not json', deviceName: '' });
    expect(malformed.codeName).toBe('INVALID_ARGUMENT');
    expect(malformed.fieldViolations.map((v) => v.field)).toEqual(['response']);
  });
});
