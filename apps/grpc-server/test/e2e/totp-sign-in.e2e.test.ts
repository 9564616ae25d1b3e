import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '@authsvc/core';
import { SecondFactor } from '@authsvc/proto/auth/v1/auth';
import { eventually, temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { baseEnvironment } from './support/server-environment.support.js';

// TOTP enrolment and the two-step sign-in through a real server process (embedded mode: PGlite, generated keys),
// with the codes computed here from the secret the server handed out, as an authenticator app would.
const dataDir = temporaryDir('authsvc-e2e-mfa-');
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

describe('TOTP sign-in through the server process', () => {
  let server: ServerProcess;
  let client: TestClient;
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ env: { ...baseEnvironment(dataDir.path), AUTH_THROTTLE_MAX_SECOND_FACTOR_FAILURES: '3' } });
    client = new TestClient(server.address);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await server?.stop('SIGKILL');
    await dataDir.remove();
  }, 60_000);

  async function enrolledUser() {
    const input = aUser();
    const id = (await client.call('registerUser', input)).user!.id;
    const { tokens } = await client.call('login', { login: input.username, password: input.password });
    const token = tokens!.accessToken;
    const begun = await client.call('beginTotpEnrolment', { id }, { token });
    const { recoveryCodes } = await client.call('confirmTotpEnrolment', { id, totpCode: totpCodeAt(begun.secret, new Date()) }, { token });
    secrets.push(input.password, token, begun.secret, ...recoveryCodes);
    return { id, input, token, secret: begun.secret, uri: begun.otpauthUri, recoveryCodes };
  }

  const ticketFor = async (input: { username: string; password: string }) => {
    const login = await client.call('login', { login: input.username, password: input.password });
    secrets.push(login.mfaTicket);
    return login;
  };

  it('enrols, then signs in with the password and a code: Login gives a ticket, CompleteLogin the pair, ValidateToken amr and auth_time', async () => {
    const { id, input, secret, uri, recoveryCodes } = await enrolledUser();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(recoveryCodes).toHaveLength(10);

    const login = await ticketFor(input);
    expect(login.tokens).toBeUndefined();
    expect(login.mfaTicket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.secondFactors).toEqual([SecondFactor.SECOND_FACTOR_TOTP, SecondFactor.SECOND_FACTOR_RECOVERY_CODE]);
    expect(login.mfaTicketExpiresAt!.getTime()).toBeGreaterThan(Date.now());

    // The enrolment used this step's code: the next step's (one step of drift ahead) is the one that works now.
    const code = totpCodeAt(secret, new Date(Date.now() + STEP_MS));
    const before = Math.floor(Date.now() / 1000);
    const done = await client.call('completeLogin', { ticket: login.mfaTicket, totpCode: code, recoveryCode: '', passkeyAssertion: '' });
    expect(done.accountId).toBe(id);
    secrets.push(done.tokens!.accessToken, done.tokens!.refreshToken);
    const claims = await client.call('validateToken', { accessToken: done.tokens!.accessToken });
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(Math.floor(claims.authTime!.getTime() / 1000)).toBeGreaterThanOrEqual(before - 1);

    // The same code again, and the used ticket again, are refused.
    const replay = await client.failure('completeLogin', { ticket: (await ticketFor(input)).mfaTicket, totpCode: code, recoveryCode: '', passkeyAssertion: '' });
    expect([replay.codeName, replay.reason]).toEqual(['UNAUTHENTICATED', 'SECOND_FACTOR_INVALID']);
    const reused = await client.failure('completeLogin', { ticket: login.mfaTicket, totpCode: '', recoveryCode: recoveryCodes[0]!, passkeyAssertion: '' });
    expect([reused.codeName, reused.reason]).toEqual(['UNAUTHENTICATED', 'MFA_TICKET_INVALID']);
  });

  it('takes a recovery code once', async () => {
    const { input, recoveryCodes } = await enrolledUser();
    const first = await client.call('completeLogin', { ticket: (await ticketFor(input)).mfaTicket, totpCode: '', recoveryCode: recoveryCodes[3]!, passkeyAssertion: '' });
    secrets.push(first.tokens!.accessToken, first.tokens!.refreshToken);
    const again = await client.failure('completeLogin', { ticket: (await ticketFor(input)).mfaTicket, totpCode: '', recoveryCode: recoveryCodes[3]!, passkeyAssertion: '' });
    expect(again.reason).toBe('SECOND_FACTOR_INVALID');
  });

  it('throttles wrong codes per account, with RetryInfo', async () => {
    const { input } = await enrolledUser();
    for (let i = 0; i < 3; i += 1) {
      const wrong = await client.failure('completeLogin', { ticket: (await ticketFor(input)).mfaTicket, totpCode: '000000', recoveryCode: '', passkeyAssertion: '' });
      expect(wrong.reason).toBe('SECOND_FACTOR_INVALID');
    }
    const throttled = await client.failure('completeLogin', { ticket: (await ticketFor(input)).mfaTicket, totpCode: '000000', recoveryCode: '', passkeyAssertion: '' });
    expect([throttled.codeName, throttled.reason]).toEqual(['RESOURCE_EXHAUSTED', 'LOGIN_THROTTLED']);
    expect(throttled.retryDelayMs).toBeGreaterThan(0);
  });

  it('names the fields of a malformed completion', async () => {
    const failure = await client.failure('completeLogin', { ticket: '', totpCode: '', recoveryCode: '', passkeyAssertion: '' });
    expect(failure.codeName).toBe('INVALID_ARGUMENT');
    expect(failure.fieldViolations.map((v) => v.field).sort()).toEqual(['ticket']);
  });

  it('disables TOTP with the password and a recovery code, from a sign-in with the factor: Login gives tokens again', async () => {
    const { id, input, token, recoveryCodes } = await enrolledUser();
    // Step-up: the password-only token of before the enrolment is not enough any more.
    const stale = await client.failure('disableTotp', { id, password: input.password, totpCode: '', recoveryCode: recoveryCodes[0]! }, { token });
    expect([stale.codeName, stale.reason]).toEqual(['UNAUTHENTICATED', 'REAUTHENTICATION_REQUIRED']);
    const signedIn = await client.call('completeLogin', { ticket: (await ticketFor(input)).mfaTicket, totpCode: '', recoveryCode: recoveryCodes[1]!, passkeyAssertion: '' });
    secrets.push(signedIn.tokens!.accessToken, signedIn.tokens!.refreshToken);
    await client.call('disableTotp', { id, password: input.password, totpCode: '', recoveryCode: recoveryCodes[0]! }, { token: signedIn.tokens!.accessToken });
    const login = await client.call('login', { login: input.username, password: input.password });
    expect(login.mfaTicket).toBe('');
    expect(login.tokens?.accessToken).toBeTruthy();
    secrets.push(login.tokens!.accessToken, login.tokens!.refreshToken);
  });

  it('gives the session of CompleteLogin its device, and puts the factor events on the audit trail', async () => {
    const { id, input, recoveryCodes } = await enrolledUser();
    const login = await client.call('login', { login: input.username, password: input.password, deviceName: 'Studio laptop' });
    secrets.push(login.mfaTicket);
    await client.failure('completeLogin', { ticket: login.mfaTicket, totpCode: '000000', recoveryCode: '', passkeyAssertion: '' });
    const done = await client.call('completeLogin', { ticket: login.mfaTicket, totpCode: '', recoveryCode: recoveryCodes[5]!, passkeyAssertion: '' });
    const token = done.tokens!.accessToken;
    secrets.push(token, done.tokens!.refreshToken);
    const { sessions } = await client.call('listSessions', { id }, { token });
    const current = sessions.find((s) => s.current)!;
    expect(current.deviceName).toBe('Studio laptop');
    expect(current.clientAddress).toBe('127.0.0.1');
    // grpc-js sends its own user agent: the one Login's session would get.
    expect(current.userAgent).toMatch(/^grpc-node-js\//);
    const latest = async () =>
      (await client.call('listSecurityEvents', { id, types: [], since: undefined, until: undefined, pageSize: 0, pageToken: '' }, { token })).events
        .map((e) => [e.type, e.reason])
        .slice(0, 4);
    const expected = [
      ['auth.login.succeeded', 'mfa'],
      ['auth.mfa.recovery_code_used', ''],
      ['auth.mfa.failed', 'totp'],
      ['auth.mfa.enrolled', 'totp'],
    ];
    // Written right after the calls, not with them: wait for them.
    await eventually(async () => JSON.stringify(await latest()) === JSON.stringify(expected));
    expect(await latest()).toEqual(expected);
  });

  it('writes no password, secret, code, ticket or token to its output', () => {
    const output = server.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of secrets.filter((s) => s !== '')) expect(output).not.toContain(secret);
  });
});
