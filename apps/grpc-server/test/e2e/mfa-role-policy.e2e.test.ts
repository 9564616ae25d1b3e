import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '@authsvc/core';
import { SearchAccountsRequest } from '@authsvc/proto/auth/v1/auth';
import { temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { baseEnvironment, createAdminAccount, type AdminCredentials } from './support/server-environment.support.js';

// The role policy with its production default (ADMIN) through a real server process: an admin made by the operator
// command signs in with its password, may only enrol a factor, and gets its powers once it signs in with it.
const dataDir = temporaryDir('authsvc-e2e-mfa-policy-');
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

describe('role policy through the server process: ADMIN needs a second factor', () => {
  let server: ServerProcess;
  let client: TestClient;
  let admin: AdminCredentials;

  beforeAll(async () => {
    const env = { ...baseEnvironment(dataDir.path), AUTH_MFA_REQUIRED_FOR_ROLES: 'ADMIN' };
    admin = await createAdminAccount(env);
    server = await startServerProcess({ env });
    client = new TestClient(server.address);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await server?.stop('SIGKILL');
    await dataDir.remove();
  }, 60_000);

  it('lets the admin enrol only, then sign in with the factor and act as admin', async () => {
    const login = await client.call('login', { login: admin.login, password: admin.password });
    const token = login.tokens!.accessToken;
    const id = login.accountId;

    for (const denied of [
      await client.failure('searchAccounts', SearchAccountsRequest.fromPartial({}), { token }),
      await client.failure('listSessions', { id }, { token }),
      await client.failure('validateToken', { accessToken: token }),
    ]) {
      expect([denied.codeName, denied.reason]).toEqual(['PERMISSION_DENIED', 'MFA_ENROLMENT_REQUIRED']);
    }
    expect((await client.call('getUser', { id }, { token })).user!.username).toBe(admin.login);

    const begun = await client.call('beginTotpEnrolment', { id }, { token });
    await client.call('confirmTotpEnrolment', { id, totpCode: totpCodeAt(begun.secret, new Date()) }, { token });
    // The session that enrolled signed in without the factor: still restricted.
    const still = await client.failure('searchAccounts', SearchAccountsRequest.fromPartial({}), { token });
    expect(still.reason).toBe('MFA_ENROLMENT_REQUIRED');

    const ticket = await client.call('login', { login: admin.login, password: admin.password });
    expect(ticket.tokens).toBeUndefined();
    const done = await client.call('completeLogin', { ticket: ticket.mfaTicket, totpCode: totpCodeAt(begun.secret, new Date(Date.now() + STEP_MS)), recoveryCode: '', passkeyAssertion: '' });
    const full = done.tokens!.accessToken;
    expect((await client.call('validateToken', { accessToken: full })).amr).toEqual(['pwd', 'otp', 'mfa']);
    const page = await client.call('searchAccounts', SearchAccountsRequest.fromPartial({}), { token: full });
    expect(page.accounts).toHaveLength(1);
    expect(JSON.stringify(page.accounts[0])).toContain(id);
  });
});
