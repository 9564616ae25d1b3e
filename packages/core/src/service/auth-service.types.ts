import type { BeginPasskeyRegistrationInput, BeginPasskeyRegistrationOutput } from '../use-cases/begin-passkey-registration.use-case.js';
import type { FinishPasskeyRegistrationInput, FinishPasskeyRegistrationOutput } from '../use-cases/finish-passkey-registration.use-case.js';
import type { BeginPasskeyLoginInput, BeginPasskeyLoginOutput } from '../use-cases/begin-passkey-login.use-case.js';
import type { FinishPasskeyLoginInput } from '../use-cases/finish-passkey-login.use-case.js';
import type { ListPasskeysInput, ListPasskeysOutput } from '../use-cases/list-passkeys.use-case.js';
import type { RemovePasskeyInput } from '../use-cases/remove-passkey.use-case.js';
import type { Gender, PublicProfile, Role } from '../domain/account.model.js';
import type { SecondFactorKind } from '../domain/second-factor.model.js';
import type { Caller, Principal } from '../auth/principal.model.js';
import type { AccessTokenClaims, JsonWebKeySet } from '../ports/access-tokens.port.js';
import type { CallOptions } from './call-options.util.js';
import type { GetArtistOutput } from '../use-cases/get-artist.use-case.js';
import type { CompleteLoginInput } from '../use-cases/complete-login.use-case.js';
import type { BeginTotpEnrolmentOutput } from '../use-cases/begin-totp-enrolment.use-case.js';
import type { ConfirmTotpEnrolmentInput, ConfirmTotpEnrolmentOutput } from '../use-cases/confirm-totp-enrolment.use-case.js';
import type { DisableTotpInput } from '../use-cases/disable-totp.use-case.js';
import type { RegenerateRecoveryCodesInput, RegenerateRecoveryCodesOutput } from '../use-cases/regenerate-recovery-codes.use-case.js';
import type { RequestEmailVerificationOutput } from '../use-cases/request-email-verification.use-case.js';
import type { ListSessionsOutput } from '../use-cases/list-sessions.use-case.js';
import type { ListSecurityEventsInput, ListSecurityEventsOutput } from '../use-cases/list-security-events.use-case.js';
import type { SearchAccountsInput, SearchAccountsOutput } from '../use-cases/search-accounts.use-case.js';
import type { DisableAccountInput } from '../use-cases/disable-account.use-case.js';
import type { AccountDataExport } from '../use-cases/export-account-data.use-case.js';
import type { DeleteAccountInput, DeleteAccountOutput } from '../use-cases/delete-account.use-case.js';
import type { PurgeDeletedAccountsOutput } from '../use-cases/purge-deleted-accounts.use-case.js';
import type { ResetSecondFactorsInput, ResetSecondFactorsOutput } from '../use-cases/reset-second-factors.use-case.js';

/** An access token and a refresh token, with their expiry times. */
export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  tokenType: 'Bearer';
}

export interface RegisterUserInput {
  username: string;
  email: string;
  password: string;
  gender: Gender;
  country: string;
  age: number;
}

export interface RegisterArtistInput {
  username: string;
  email: string;
  password: string;
  author: string;
  producer?: string | null;
  country: string;
  description: string;
}

/** Login of an account without a second factor (or CompleteLogin): the new session's tokens. */
export interface SignedIn {
  accountId: string;
  username: string;
  role: Role;
  tokens: TokenPair;
  secondFactor?: undefined;
}

/** What Login returns instead of tokens to an account with a second factor: CompleteLogin takes the ticket. */
export interface SecondFactorChallenge {
  /** 256 random bits, base64url; single use; the store keeps only its hash. */
  ticket: string;
  expiresAt: Date;
  /** The factors CompleteLogin accepts for this account. */
  factors: SecondFactorKind[];
}

/** Login's answer: tokens, or (for an account with a second factor) a ticket and the factors to complete it with. */
export type LoginResult = SignedIn | { accountId: string; username: string; role: Role; tokens?: undefined; secondFactor: SecondFactorChallenge };

/** A TOTP code or an unused recovery code: exactly one. */
export interface SecondFactorProof {
  totpCode?: string;
  recoveryCode?: string;
  /** JSON of a WebAuthn assertion (PublicKeyCredential.toJSON()) to the options of BeginPasskeyLogin; CompleteLogin only. */
  passkeyAssertion?: string;
}

/** A rotated token pair and the account its session belongs to (for the caller's audit log). */
export interface RefreshResult extends TokenPair {
  accountId: string;
}

/** Only the fields present are changed. */
export interface UpdateUserInput {
  id: string;
  username?: string;
  email?: string;
  gender?: Gender;
  country?: string;
  age?: number;
}

/** Only the fields present are changed; `producer: null` clears it. */
export interface UpdateArtistInput {
  id: string;
  username?: string;
  email?: string;
  author?: string;
  producer?: string | null;
  country?: string;
  description?: string;
}

/**
 * Every operation of the service. The gRPC app maps each RPC to one method; an app embedding
 * the core calls them directly. `caller` is the result of `authenticate` (null when anonymous); `call` carries
 * the caller's deadline or cancellation (see CallOptions).
 */
export interface AuthService {
  registerUser(input: RegisterUserInput, call?: CallOptions): Promise<PublicProfile>;
  registerArtist(input: RegisterArtistInput, call?: CallOptions): Promise<PublicProfile>;
  /** `deviceName`: optional, shown in ListSessions; the client address and user agent come from `call`. */
  login(input: { login: string; password: string; deviceName?: string }, call?: CallOptions): Promise<LoginResult>;
  refreshToken(input: { refreshToken: string }, call?: CallOptions): Promise<RefreshResult>;
  /** Ends the session of the refresh token; `accountId` is its account when the session was still live (null otherwise). */
  logout(input: { refreshToken: string }, call?: CallOptions): Promise<{ accountId: string | null }>;
  getUser(caller: Caller, input: { id: string }, call?: CallOptions): Promise<PublicProfile>;
  /** The full profile for the artist itself and admins, the public view (see ArtistPublicProfile) for anyone else. */
  getArtist(caller: Caller, input: { id: string }, call?: CallOptions): Promise<GetArtistOutput>;
  updateUser(caller: Caller, input: UpdateUserInput, call?: CallOptions): Promise<PublicProfile>;
  updateArtist(caller: Caller, input: UpdateArtistInput, call?: CallOptions): Promise<PublicProfile>;
  changePassword(caller: Caller, input: { id: string; oldPassword: string; newPassword: string }, call?: CallOptions): Promise<TokenPair>;
  /** Verifies an access token including its session's revocation; throws ACCESS_TOKEN_INVALID or SESSION_REVOKED. */
  validateToken(input: { accessToken: string }, call?: CallOptions): Promise<AccessTokenClaims>;
  getJwks(call?: CallOptions): Promise<JsonWebKeySet>;
  /** `keepOwn`: keep the caller's own session (when the account is the caller's). */
  revokeSessions(caller: Caller, input: { id: string; keepOwn?: boolean }, call?: CallOptions): Promise<{ revoked: number }>;
  setRole(caller: Caller, input: { id: string; role: Role }, call?: CallOptions): Promise<PublicProfile>;
  /** Turns a bearer access token into a principal (signature, claims and revocation checked). */
  authenticate(accessToken: string, call?: CallOptions): Promise<Principal>;
  /** The account's live sessions, newest first, the caller's own marked (the account itself or an admin). */
  listSessions(caller: Caller, input: { id: string }, call?: CallOptions): Promise<ListSessionsOutput>;
  /** Ends one session (its owner or an admin); SESSION_NOT_FOUND when unknown, ended or not the caller's to see. */
  revokeSession(caller: Caller, input: { sessionId: string }, call?: CallOptions): Promise<{ accountId: string }>;
  /** The account's security events, newest first, filtered and keyset-paginated (the account itself or an admin). */
  listSecurityEvents(caller: Caller, input: ListSecurityEventsInput, call?: CallOptions): Promise<ListSecurityEventsOutput>;
  /** Resolves once every security event of a change outside the database (logout, failed login...) is written (tests, shutdown). */
  flushSecurityEvents(): Promise<void>;
  /** Creates an admin account (for the operator's create-admin command; not exposed over the API). */
  createAdmin(input: RegisterUserInput, call?: CallOptions): Promise<PublicProfile>;
  /** Turns Login's MFA ticket and a TOTP or recovery code into the token pair. */
  completeLogin(input: CompleteLoginInput, call?: CallOptions): Promise<SignedIn>;
  /** Starts enrolling a TOTP authenticator: the secret and its otpauth:// URI. */
  beginTotpEnrolment(caller: Caller, input: { id: string }, call?: CallOptions): Promise<BeginTotpEnrolmentOutput>;
  /** Enables the pending TOTP authenticator with its first code; the recovery codes when it is the first factor. */
  confirmTotpEnrolment(caller: Caller, input: ConfirmTotpEnrolmentInput, call?: CallOptions): Promise<ConfirmTotpEnrolmentOutput>;
  /** Removes the TOTP authenticator (password and a code needed). */
  disableTotp(caller: Caller, input: DisableTotpInput, call?: CallOptions): Promise<void>;
  /** Replaces the recovery codes (a code needed). */
  regenerateRecoveryCodes(caller: Caller, input: RegenerateRecoveryCodesInput, call?: CallOptions): Promise<RegenerateRecoveryCodesOutput>;
  /** Mails the account's own address a verification link (nothing when it is verified already). */
  requestEmailVerification(caller: Caller, input: { id: string }, call?: CallOptions): Promise<RequestEmailVerificationOutput>;
  /** Spends a verification token: the address it was mailed to is verified. */
  verifyEmail(input: { token: string }, call?: CallOptions): Promise<PublicProfile>;
  /** Mails a reset link if `email` is an account's address; the same answer, in the same time, either way. */
  requestPasswordReset(input: { email: string }, call?: CallOptions): Promise<void>;
  /** Spends a reset token: sets the password, revokes every session, verifies the address. */
  resetPassword(input: { token: string; newPassword: string }, call?: CallOptions): Promise<void>;
  /** After the current password: mails a confirmation link to `newEmail` and a notice to the current address. */
  requestEmailChange(caller: Caller, input: { id: string; newEmail: string; currentPassword: string }, call?: CallOptions): Promise<void>;
  /** Spends an email-change token: the address changes (verified) and the account's other sessions are revoked. */
  confirmEmailChange(caller: Caller, input: { token: string }, call?: CallOptions): Promise<PublicProfile>;
  /** A page of the accounts matching the filters (admins; keyset pagination, see SearchAccounts). */
  searchAccounts(caller: Caller, input: SearchAccountsInput, call?: CallOptions): Promise<SearchAccountsOutput>;
  /** Disables an account (admins): sessions revoked at once, Login refused with ACCOUNT_DISABLED; see DisableAccount. */
  disableAccount(caller: Caller, input: DisableAccountInput, call?: CallOptions): Promise<PublicProfile>;
  /** Ends a disable (admins). */
  enableAccount(caller: Caller, input: { id: string }, call?: CallOptions): Promise<PublicProfile>;
  /** Everything the service holds about the account, as one JSON-ready document (the account itself or an admin; rate-limited per account). */
  exportAccountData(caller: Caller, input: { id: string }, call?: CallOptions): Promise<AccountDataExport>;
  /** Creation options (JSON) for a new passkey of the caller's own account. */
  beginPasskeyRegistration(caller: Caller, input: BeginPasskeyRegistrationInput, call?: CallOptions): Promise<BeginPasskeyRegistrationOutput>;
  /** Registers the passkey created for those options; the recovery codes when it is the first factor. */
  finishPasskeyRegistration(caller: Caller, input: FinishPasskeyRegistrationInput, call?: CallOptions): Promise<FinishPasskeyRegistrationOutput>;
  /** Request options (JSON) for a passkey sign-in: with Login's ticket as a second factor, without for a passwordless sign-in. */
  beginPasskeyLogin(input: BeginPasskeyLoginInput, call?: CallOptions): Promise<BeginPasskeyLoginOutput>;
  /** Passwordless sign-in with a discoverable passkey: the token pair. */
  finishPasskeyLogin(input: FinishPasskeyLoginInput, call?: CallOptions): Promise<SignedIn>;
  /** The caller's passkeys, oldest first. */
  listPasskeys(caller: Caller, input: ListPasskeysInput, call?: CallOptions): Promise<ListPasskeysOutput>;
  /** Removes one of the caller's passkeys (step-up). */
  removePasskey(caller: Caller, input: RemovePasskeyInput, call?: CallOptions): Promise<void>;
  /** Deletes an account (itself with its password and step-up, or an admin): sessions revoked, erased after the grace period; see DeleteAccount. */
  deleteAccount(caller: Caller, input: DeleteAccountInput, call?: CallOptions): Promise<DeleteAccountOutput>;
  /** Cancels a deletion before the erasure (admins). */
  restoreAccount(caller: Caller, input: { id: string }, call?: CallOptions): Promise<PublicProfile>;
  /** Removes every second factor of an account and ends its sessions (admins): the way back in after a lost factor. */
  resetSecondFactors(caller: Caller, input: ResetSecondFactorsInput, call?: CallOptions): Promise<ResetSecondFactorsOutput>;
  /** Housekeeping: erases the accounts deleted longer ago than the grace period (operators and the server's loop, not an RPC). */
  purgeDeletedAccounts(call?: CallOptions): Promise<PurgeDeletedAccountsOutput>;
}
