import type { Operation } from '../../../src/index.js';

// The RPC x caller matrix, written out by hand from the RPC table, NOT derived from AUTHORIZATION_POLICY:
// a wrong entry there fails the policy test and the service test that both read this table.

/** SESSION_NOT_FOUND: allowed by the policy, refused by the use case's ownership check (RevokeSession names a session). */
export type Outcome = 'ok' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'SESSION_NOT_FOUND';
const ok = 'ok' as const;
const UNAUTH = 'UNAUTHENTICATED' as const;
const DENIED = 'PERMISSION_DENIED' as const;
const NOT_OWNER = 'SESSION_NOT_FOUND' as const;

/** The columns of EXPECTED, in order. */
export const COLUMNS = ['anonymous', 'self', 'otherUser', 'artist', 'admin'] as const;
export type Column = (typeof COLUMNS)[number];

//                                      anonymous  self    otherUser artist  admin
export const EXPECTED: Record<Operation, [Outcome, Outcome, Outcome, Outcome, Outcome]> = {
  RegisterUser: /*                  */ [ok,       ok,     ok,       ok,     ok],
  RegisterArtist: /*                */ [ok,       ok,     ok,       ok,     ok],
  Login: /*                         */ [ok,       ok,     ok,       ok,     ok],
  RefreshToken: /*                  */ [ok,       ok,     ok,       ok,     ok],
  Logout: /*                        */ [ok,       ok,     ok,       ok,     ok],
  GetUser: /*                       */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  GetArtist: /*                     */ [UNAUTH,   ok,     ok,       ok,     ok],
  UpdateUser: /*                    */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  UpdateArtist: /*                  */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  ChangePassword: /*                */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  ValidateToken: /*                 */ [ok,       ok,     ok,       ok,     ok],
  GetJwks: /*                       */ [ok,       ok,     ok,       ok,     ok],
  RevokeSessions: /*                */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  SetRole: /*                       */ [UNAUTH,   DENIED, DENIED,   DENIED, ok],
  CompleteLogin: /*                 */ [ok,       ok,     ok,       ok,     ok],
  BeginTotpEnrolment: /*            */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  ConfirmTotpEnrolment: /*          */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  DisableTotp: /*                   */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  RegenerateRecoveryCodes: /*       */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  RequestEmailVerification: /*      */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  VerifyEmail: /*                   */ [ok,       ok,     ok,       ok,     ok],
  RequestPasswordReset: /*          */ [ok,       ok,     ok,       ok,     ok],
  ResetPassword: /*                 */ [ok,       ok,     ok,       ok,     ok],
  RequestEmailChange: /*            */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  ConfirmEmailChange: /*            */ [ok,       ok,     ok,       ok,     ok],
  ListSessions: /*                  */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  RevokeSession: /*                 */ [UNAUTH,   ok,     NOT_OWNER, NOT_OWNER, ok],
  ListSecurityEvents: /*            */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  SearchAccounts: /*                */ [UNAUTH,   DENIED, DENIED,   DENIED, ok],
  DisableAccount: /*                */ [UNAUTH,   DENIED, DENIED,   DENIED, ok],
  EnableAccount: /*                 */ [UNAUTH,   DENIED, DENIED,   DENIED, ok],
  ExportAccountData: /*             */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  BeginPasskeyRegistration: /*      */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  FinishPasskeyRegistration: /*     */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  BeginPasskeyLogin: /*             */ [ok,       ok,     ok,       ok,     ok],
  FinishPasskeyLogin: /*            */ [ok,       ok,     ok,       ok,     ok],
  ListPasskeys: /*                  */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  RemovePasskey: /*                 */ [UNAUTH,   ok,     DENIED,   DENIED, DENIED],
  DeleteAccount: /*                 */ [UNAUTH,   ok,     DENIED,   DENIED, ok],
  RestoreAccount: /*                */ [UNAUTH,   DENIED, DENIED,   DENIED, ok],
  ResetSecondFactors: /*            */ [UNAUTH,   DENIED, DENIED,   DENIED, ok],
};
