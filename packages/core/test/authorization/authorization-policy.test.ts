import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_POLICY, OPERATIONS, authorize, isDomainError, requiresAccessToken } from '../../src/index.js';
import type { Caller, Operation } from '../../src/index.js';
import { EXPECTED, type Outcome } from './support/rpc-caller-matrix.support.js';

const TARGET = '01900000-0000-7000-8000-000000000001';

/** The five callers of the matrix; every non-anonymous one except `self` names someone else's id. */
const CALLERS = {
  anonymous: null,
  self: { accountId: TARGET, sessionId: 's-self', role: 'USER' },
  otherUser: { accountId: '01900000-0000-7000-8000-000000000002', sessionId: 's-other', role: 'USER' },
  artist: { accountId: '01900000-0000-7000-8000-000000000003', sessionId: 's-artist', role: 'ARTIST' },
  admin: { accountId: '01900000-0000-7000-8000-000000000004', sessionId: 's-admin', role: 'ADMIN' },
} satisfies Record<string, Caller>;

function outcomeOf(operation: Operation, caller: Caller): Outcome {
  try {
    authorize(operation, caller, TARGET);
    return 'ok';
  } catch (error) {
    if (isDomainError(error, 'UNAUTHENTICATED') || isDomainError(error, 'PERMISSION_DENIED')) return error.code as Outcome;
    if (isDomainError(error, 'MFA_ENROLMENT_REQUIRED')) return 'PERMISSION_DENIED';
    throw error;
  }
}

describe('authorization policy', () => {
  it('has a row in the expected matrix for every operation, and no row for an unknown one', () => {
    expect([...OPERATIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const callerNames = Object.keys(CALLERS) as (keyof typeof CALLERS)[];
  for (const operation of Object.keys(EXPECTED) as Operation[]) {
    callerNames.forEach((name, column) => {
      // The policy lets every signed-in caller reach RevokeSession; the use case then checks the session's owner.
      const expected = EXPECTED[operation][column] === 'SESSION_NOT_FOUND' ? 'ok' : EXPECTED[operation][column];
      it(`${operation} by ${name} → ${expected}`, () => {
        expect(outcomeOf(operation, CALLERS[name])).toBe(expected);
      });
    });
  }

  it('an artist acting on its own id is "self" for UpdateArtist, RevokeSessions and ChangePassword', () => {
    const artistSelf: Caller = { accountId: TARGET, sessionId: 's', role: 'ARTIST' };
    expect(outcomeOf('UpdateArtist', artistSelf)).toBe('ok');
    expect(outcomeOf('RevokeSessions', artistSelf)).toBe('ok');
    expect(outcomeOf('ChangePassword', artistSelf)).toBe('ok');
    expect(outcomeOf('SetRole', artistSelf)).toBe('PERMISSION_DENIED');
  });

  it('a caller that must enrol a second factor may only enrol one and read itself, on its own account', () => {
    const enrolling: Caller = { accountId: TARGET, sessionId: 's', role: 'ADMIN', amr: ['pwd'], mfaEnrolmentRequired: true };
    const allowed = OPERATIONS.filter((operation) => requiresAccessToken(operation) && outcomeOf(operation, enrolling) === 'ok');
    expect(allowed.sort()).toEqual(['BeginPasskeyRegistration', 'BeginTotpEnrolment', 'ConfirmTotpEnrolment', 'FinishPasskeyRegistration', 'GetUser']);
    expect(() => authorize('GetUser', { ...enrolling, accountId: CALLERS.otherUser.accountId })).toThrow(expect.objectContaining({ code: 'MFA_ENROLMENT_REQUIRED' }));
    expect(() => authorize('SearchAccounts', enrolling)).toThrow(expect.objectContaining({ code: 'MFA_ENROLMENT_REQUIRED' }));
    expect(outcomeOf('Login', enrolling)).toBe('ok');
  });

  it('a self-or-admin operation with no target id is denied to a non-admin', () => {
    expect(() => authorize('GetUser', CALLERS.self)).toThrow(expect.objectContaining({ code: 'PERMISSION_DENIED' }));
  });

  it('tells the edge which RPCs need a bearer token: exactly those not open to anyone or to a refresh-token holder', () => {
    const needingToken = OPERATIONS.filter(requiresAccessToken).sort();
    expect(needingToken).toEqual(
      [
        'ChangePassword', 'GetArtist', 'GetUser', 'RevokeSessions', 'SetRole', 'UpdateArtist', 'UpdateUser',
        'BeginTotpEnrolment', 'ConfirmTotpEnrolment', 'DisableTotp', 'RegenerateRecoveryCodes',
        'RequestEmailChange', 'RequestEmailVerification', 'ListSecurityEvents', 'ListSessions', 'RevokeSession',
        'SearchAccounts', 'DisableAccount', 'EnableAccount', 'ExportAccountData', 'DeleteAccount', 'RestoreAccount', 'ResetSecondFactors',
        'BeginPasskeyRegistration', 'FinishPasskeyRegistration', 'ListPasskeys', 'RemovePasskey',
      ].sort(),
    );
    expect(AUTHORIZATION_POLICY.RefreshToken).toBe('refresh-token-holder');
  });
});
