import type { Caller, Principal } from './principal.model.js';
import { DomainError } from '../errors/domain.errors.js';

/**
 * Who may call an operation:
 * - `anyone`: no token needed;
 * - `refresh-token-holder`: no access token; the refresh token in the request is the credential (checked by the use case);
 * - `authenticated`: any signed-in account;
 * - `self`: only the account the request names;
 * - `self-or-admin`: the account the request names, or an admin;
 * - `admin`: admins only.
 */
export type AccessRule = 'anyone' | 'refresh-token-holder' | 'authenticated' | 'self' | 'self-or-admin' | 'admin';

/**
 * The one authorization table of the service, keyed by RPC name. The gRPC edge reads it to know which RPCs
 * need a bearer token; core enforces it in every use case through `authorize`.
 * (CreateAdmin is not here: it is an operator command, never reachable over the API.)
 */
export const AUTHORIZATION_POLICY = {
  RegisterUser: 'anyone',
  RegisterArtist: 'anyone',
  Login: 'anyone',
  RefreshToken: 'refresh-token-holder',
  Logout: 'refresh-token-holder',
  GetUser: 'self-or-admin',
  GetArtist: 'authenticated',
  UpdateUser: 'self-or-admin',
  UpdateArtist: 'self-or-admin',
  ChangePassword: 'self',
  ValidateToken: 'anyone',
  GetJwks: 'anyone',
  RevokeSessions: 'self-or-admin',
  SetRole: 'admin',
  CompleteLogin: 'anyone',
  BeginTotpEnrolment: 'self',
  ConfirmTotpEnrolment: 'self',
  DisableTotp: 'self',
  RegenerateRecoveryCodes: 'self',
  RequestEmailVerification: 'self',
  VerifyEmail: 'anyone',
  RequestPasswordReset: 'anyone',
  ResetPassword: 'anyone',
  RequestEmailChange: 'self',
  ConfirmEmailChange: 'anyone',
  ListSessions: 'self-or-admin',
  /** Its owner or an admin: the use case checks ownership, since the request names a session, not an account. */
  RevokeSession: 'authenticated',
  ListSecurityEvents: 'self-or-admin',
  SearchAccounts: 'admin',
  DisableAccount: 'admin',
  EnableAccount: 'admin',
  ExportAccountData: 'self-or-admin',
  BeginPasskeyRegistration: 'self',
  FinishPasskeyRegistration: 'self',
  BeginPasskeyLogin: 'anyone',
  FinishPasskeyLogin: 'anyone',
  ListPasskeys: 'self',
  RemovePasskey: 'self',
  DeleteAccount: 'self-or-admin',
  RestoreAccount: 'admin',
  ResetSecondFactors: 'admin',
} as const satisfies Record<string, AccessRule>;

export type Operation = keyof typeof AUTHORIZATION_POLICY;

export const OPERATIONS = Object.keys(AUTHORIZATION_POLICY) as Operation[];

/**
 * What a caller that must enrol a second factor first (Principal.mfaEnrolmentRequired) may still do, on its own
 * account only: enrol TOTP or a passkey and read its profile. RefreshToken and Logout need no access token and stay open.
 */
export const ENROLMENT_OPERATIONS: readonly Operation[] = ['BeginTotpEnrolment', 'ConfirmTotpEnrolment', 'BeginPasskeyRegistration', 'FinishPasskeyRegistration', 'GetUser'];

/** Whether the operation needs a verified access token (the edge authenticates the bearer token first). */
export function requiresAccessToken(operation: Operation): boolean {
  const rule: AccessRule = AUTHORIZATION_POLICY[operation];
  return rule !== 'anyone' && rule !== 'refresh-token-holder';
}

/**
 * Throws UNAUTHENTICATED when the operation needs a caller and there is none, PERMISSION_DENIED when the
 * caller may not act on `targetId`. Runs before any lookup, so a refusal never reveals whether the target exists.
 * Returns the principal for operations that need one.
 */
export function authorize(operation: Operation, caller: Caller, targetId?: string): Principal | null {
  const rule: AccessRule = AUTHORIZATION_POLICY[operation];
  if (rule === 'anyone' || rule === 'refresh-token-holder') return caller;
  if (caller === null) throw new DomainError('UNAUTHENTICATED', { message: `${operation} requires a valid access token` });
  if (caller.mfaEnrolmentRequired === true && !(ENROLMENT_OPERATIONS.includes(operation) && targetId === caller.accountId)) {
    throw new DomainError('MFA_ENROLMENT_REQUIRED');
  }
  const isAdmin = caller.role === 'ADMIN';
  const isSelf = targetId !== undefined && caller.accountId === targetId;
  const allowed =
    rule === 'authenticated' ||
    (rule === 'self' && isSelf) ||
    (rule === 'self-or-admin' && (isSelf || isAdmin)) ||
    (rule === 'admin' && isAdmin);
  if (!allowed) throw new DomainError('PERMISSION_DENIED', { message: `not allowed to call ${operation} for this account` });
  return caller;
}

/** `authorize` for operations that always need a caller: returns the principal, never null. */
export function authorizeCaller(operation: Operation, caller: Caller, targetId?: string): Principal {
  const principal = authorize(operation, caller, targetId);
  if (principal === null) throw new DomainError('UNAUTHENTICATED', { message: `${operation} requires a valid access token` });
  return principal;
}
