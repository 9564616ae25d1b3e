import { describe, expect, it } from 'vitest';
import { totpCodeAt, type AuthService, type Caller, type Operation, type PublicProfile, type TokenPair } from '../../src/index.js';
import { Harness, PASSWORD, sharedHasher, TEST_ORIGIN } from '../use-cases/support/service-harness.support.js';
import { SoftwareAuthenticator } from '../../src/fixtures/index.js';
import { COLUMNS, EXPECTED, type Column, type Outcome } from './support/rpc-caller-matrix.support.js';

// The same matrix as authorization-policy.test.ts, but through the real service: it fails if a use case forgets
// to authorize, authorizes under the wrong operation, or checks the wrong target id.

const hasher = sharedHasher();

interface Target {
  profile: PublicProfile;
  tokens: TokenPair;
  caller: Caller;
}
type Call = (service: AuthService, caller: Caller, target: Target, h: Harness) => Promise<unknown>;

/** Each RPC called by `caller` on `target`: an artist for the artist RPCs, a user otherwise. */
const CALLS: Record<Operation, { target: 'user' | 'artist'; call: Call }> = {
  RegisterUser: { target: 'user', call: (s, _c, _t, h) => s.registerUser(h.userInput()) },
  RegisterArtist: { target: 'user', call: (s, _c, _t, h) => s.registerArtist(h.artistInput()) },
  Login: { target: 'user', call: (s, _c, t) => s.login({ login: t.profile.username, password: PASSWORD }) },
  RefreshToken: { target: 'user', call: (s, _c, t) => s.refreshToken({ refreshToken: t.tokens.refreshToken }) },
  Logout: { target: 'user', call: (s, _c, t) => s.logout({ refreshToken: t.tokens.refreshToken }) },
  GetUser: { target: 'user', call: (s, c, t) => s.getUser(c, { id: t.profile.id }) },
  GetArtist: { target: 'artist', call: (s, c, t) => s.getArtist(c, { id: t.profile.id }) },
  UpdateUser: { target: 'user', call: (s, c, t) => s.updateUser(c, { id: t.profile.id, age: 44 }) },
  UpdateArtist: { target: 'artist', call: (s, c, t) => s.updateArtist(c, { id: t.profile.id, description: 'Changed.' }) },
  ChangePassword: { target: 'user', call: (s, c, t) => s.changePassword(c, { id: t.profile.id, oldPassword: PASSWORD, newPassword: 'another good one' }) },
  ValidateToken: { target: 'user', call: (s, _c, t) => s.validateToken({ accessToken: t.tokens.accessToken }) },
  GetJwks: { target: 'user', call: (s) => s.getJwks() },
  RevokeSessions: { target: 'user', call: (s, c, t) => s.revokeSessions(c, { id: t.profile.id }) },
  SetRole: { target: 'user', call: (s, c, t) => s.setRole(c, { id: t.profile.id, role: 'ADMIN' }) },
  CompleteLogin: {
    target: 'user',
    call: async (s, _c, t, h) => {
      const { secret } = await h.enrolTotp(t.caller, t.profile.id);
      const login = await s.login({ login: t.profile.username, password: PASSWORD });
      return s.completeLogin({ ticket: login.secondFactor!.ticket, totpCode: h.nextTotpCode(secret) });
    },
  },
  BeginTotpEnrolment: { target: 'user', call: (s, c, t) => s.beginTotpEnrolment(c, { id: t.profile.id }) },
  ConfirmTotpEnrolment: {
    target: 'user',
    call: async (s, c, t, h) => {
      const { secret } = await s.beginTotpEnrolment(t.caller, { id: t.profile.id });
      return s.confirmTotpEnrolment(c, { id: t.profile.id, totpCode: totpCodeAt(secret, h.clock.now()) });
    },
  },
  DisableTotp: {
    target: 'user',
    call: async (s, c, t, h) => {
      const { secret } = await h.enrolTotp(t.caller, t.profile.id);
      // The account itself must have signed in with its factor (step-up); anyone else is refused before that matters.
      const caller = c?.accountId === t.profile.id ? (await h.signInWithTotp(t.profile.username, secret)).caller : c;
      return s.disableTotp(caller, { id: t.profile.id, password: PASSWORD, totpCode: h.nextTotpCode(secret) });
    },
  },
  RegenerateRecoveryCodes: {
    target: 'user',
    call: async (s, c, t, h) => {
      const { recoveryCodes } = await h.enrolTotp(t.caller, t.profile.id);
      return s.regenerateRecoveryCodes(c, { id: t.profile.id, recoveryCode: recoveryCodes[0]! });
    },
  },
  RequestEmailVerification: { target: 'user', call: (s, c, t) => s.requestEmailVerification(c, { id: t.profile.id }) },
  VerifyEmail: {
    target: 'user',
    call: async (s, c, t, h) => {
      await s.requestEmailVerification(await s.authenticate(t.tokens.accessToken), { id: t.profile.id });
      return s.verifyEmail({ token: await h.tokenMailed('verify-email', t.profile.email) });
    },
  },
  RequestPasswordReset: { target: 'user', call: (s, _c, t) => s.requestPasswordReset({ email: t.profile.email }) },
  ResetPassword: {
    target: 'user',
    call: async (s, _c, t, h) => {
      await s.requestPasswordReset({ email: t.profile.email });
      return s.resetPassword({ token: await h.tokenMailed('reset-password', t.profile.email), newPassword: 'another good one' });
    },
  },
  RequestEmailChange: {
    target: 'user',
    call: (s, c, t) => s.requestEmailChange(c, { id: t.profile.id, newEmail: `new.${t.profile.email}`, currentPassword: PASSWORD }),
  },
  ConfirmEmailChange: {
    target: 'user',
    call: async (s, c, t, h) => {
      const owner = await s.authenticate(t.tokens.accessToken);
      await s.requestEmailChange(owner, { id: t.profile.id, newEmail: `new.${t.profile.email}`, currentPassword: PASSWORD });
      return s.confirmEmailChange(c, { token: await h.tokenMailed('confirm-email-change', `new.${t.profile.email}`) });
    },
  },
  ListSessions: { target: 'user', call: (s, c, t) => s.listSessions(c, { id: t.profile.id }) },
  RevokeSession: { target: 'user', call: (s, c, t) => s.revokeSession(c, { sessionId: t.caller!.sessionId }) },
  ListSecurityEvents: { target: 'user', call: (s, c, t) => s.listSecurityEvents(c, { id: t.profile.id }) },
  SearchAccounts: { target: 'user', call: (s, c, t) => s.searchAccounts(c, { usernamePrefix: t.profile.username }) },
  DisableAccount: { target: 'user', call: (s, c, t) => s.disableAccount(c, { id: t.profile.id, reason: 'spam' }) },
  EnableAccount: { target: 'user', call: (s, c, t) => s.enableAccount(c, { id: t.profile.id }) },
  ExportAccountData: { target: 'user', call: (s, c, t) => s.exportAccountData(c, { id: t.profile.id }) },
  BeginPasskeyRegistration: { target: 'user', call: (s, c, t) => s.beginPasskeyRegistration(c, { id: t.profile.id }) },
  FinishPasskeyRegistration: {
    target: 'user',
    call: async (s, c, t) => {
      const { options } = await s.beginPasskeyRegistration(t.caller, { id: t.profile.id });
      return s.finishPasskeyRegistration(c, { id: t.profile.id, response: new SoftwareAuthenticator({ origin: TEST_ORIGIN }).create(options) });
    },
  },
  BeginPasskeyLogin: { target: 'user', call: (s) => s.beginPasskeyLogin({}) },
  FinishPasskeyLogin: {
    target: 'user',
    call: async (s, _c, t, h) => {
      const authenticator = new SoftwareAuthenticator({ origin: TEST_ORIGIN });
      await h.enrolPasskey(t.caller, t.profile.id, authenticator);
      return s.finishPasskeyLogin({ response: authenticator.get((await s.beginPasskeyLogin({})).options) });
    },
  },
  ListPasskeys: { target: 'user', call: (s, c, t) => s.listPasskeys(c, { id: t.profile.id }) },
  RemovePasskey: {
    target: 'user',
    call: async (s, c, t, h) => {
      const authenticator = new SoftwareAuthenticator({ origin: TEST_ORIGIN });
      const { credentialId } = await h.enrolPasskey(t.caller, t.profile.id, authenticator);
      // The account itself must have signed in with its factor (step-up): passwordless with the passkey.
      const caller = c?.accountId === t.profile.id
        ? await s.authenticate((await s.finishPasskeyLogin({ response: authenticator.get((await s.beginPasskeyLogin({})).options) })).tokens.accessToken)
        : c;
      return s.removePasskey(caller, { id: t.profile.id, credentialId });
    },
  },
  DeleteAccount: { target: 'user', call: (s, c, t) => s.deleteAccount(c, { id: t.profile.id, currentPassword: PASSWORD }) },
  RestoreAccount: { target: 'user', call: (s, c, t) => s.restoreAccount(c, { id: t.profile.id }) },
  ResetSecondFactors: { target: 'user', call: (s, c, t) => s.resetSecondFactors(c, { id: t.profile.id }) },
};

async function outcome(operation: Operation, column: Column): Promise<Outcome | string> {
  const h = await Harness.create({ hasher });
  const user = await h.signedInUser();
  const artist = await h.signedInArtist();
  const target = CALLS[operation].target === 'user' ? user : artist;
  const callers: Record<Column, Caller> = {
    anonymous: null,
    self: target.caller,
    otherUser: CALLS[operation].target === 'user' ? (await h.signedInUser()).caller : user.caller,
    artist: CALLS[operation].target === 'artist' ? (await h.signedInArtist()).caller : artist.caller,
    admin: (await h.signedInUser({ admin: true })).caller,
  };
  try {
    await CALLS[operation].call(h.service, callers[column], target, h);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('every RPC × caller through the service', () => {
  for (const operation of Object.keys(EXPECTED) as Operation[]) {
    COLUMNS.forEach((column, index) => {
      const expected = EXPECTED[operation][index];
      it(`${operation} by ${column} → ${expected}`, async () => {
        expect(await outcome(operation, column)).toBe(expected);
      });
    });
  }
});
