import { ROLES } from '../domain/account.model.js';
import { AccountEventFactory } from '../events/account-event.factory.js';
import { RefreshTokenCodec } from '../crypto/refresh-token.codec.js';
import { Authenticate } from '../use-cases/authenticate.use-case.js';
import { ChangePassword } from '../use-cases/change-password.use-case.js';
import { CreateAdmin } from '../use-cases/create-admin.use-case.js';
import { AttemptLimiter } from '../use-cases/attempt-limiter.service.js';
import { CredentialChecker } from '../use-cases/credential-checker.service.js';
import { GetArtist } from '../use-cases/get-artist.use-case.js';
import { GetJwks } from '../use-cases/get-jwks.use-case.js';
import { GetUser } from '../use-cases/get-user.use-case.js';
import { Login } from '../use-cases/login.use-case.js';
import { Logout } from '../use-cases/logout.use-case.js';
import { RefreshToken } from '../use-cases/refresh-token.use-case.js';
import { RegisterArtist } from '../use-cases/register-artist.use-case.js';
import { RegisterUser } from '../use-cases/register-user.use-case.js';
import { RevokeSessions } from '../use-cases/revoke-sessions.use-case.js';
import { SetRole } from '../use-cases/set-role.use-case.js';
import { ListSessions } from '../use-cases/list-sessions.use-case.js';
import { RevokeSession } from '../use-cases/revoke-session.use-case.js';
import { ListSecurityEvents } from '../use-cases/list-security-events.use-case.js';
import { SecurityEventRecorder } from '../use-cases/security-event-recorder.service.js';
import { createHmac } from 'node:crypto';
import { SearchAccounts } from '../use-cases/search-accounts.use-case.js';
import { DisableAccount } from '../use-cases/disable-account.use-case.js';
import { EnableAccount } from '../use-cases/enable-account.use-case.js';
import { ExportAccountData } from '../use-cases/export-account-data.use-case.js';
import { DeleteAccount } from '../use-cases/delete-account.use-case.js';
import { RestoreAccount } from '../use-cases/restore-account.use-case.js';
import { ResetSecondFactors } from '../use-cases/reset-second-factors.use-case.js';
import { PurgeDeletedAccounts } from '../use-cases/purge-deleted-accounts.use-case.js';
import { TokenPairIssuer } from '../use-cases/token-pair-issuer.service.js';
import { UpdateArtist } from '../use-cases/update-artist.use-case.js';
import { UpdateUser } from '../use-cases/update-user.use-case.js';
import { ValidateToken } from '../use-cases/validate-token.use-case.js';
import { CompleteLogin } from '../use-cases/complete-login.use-case.js';
import { BeginTotpEnrolment } from '../use-cases/begin-totp-enrolment.use-case.js';
import { ConfirmTotpEnrolment } from '../use-cases/confirm-totp-enrolment.use-case.js';
import { DisableTotp } from '../use-cases/disable-totp.use-case.js';
import { RegenerateRecoveryCodes } from '../use-cases/regenerate-recovery-codes.use-case.js';
import { SecondFactorVerifier } from '../use-cases/second-factor-verifier.service.js';
import { MfaTickets } from '../use-cases/mfa-ticket.service.js';
import { StepUp } from '../use-cases/step-up.service.js';
import { PasskeyCeremonies } from '../use-cases/passkey-ceremonies.service.js';
import { BeginPasskeyRegistration } from '../use-cases/begin-passkey-registration.use-case.js';
import { FinishPasskeyRegistration } from '../use-cases/finish-passkey-registration.use-case.js';
import { BeginPasskeyLogin } from '../use-cases/begin-passkey-login.use-case.js';
import { FinishPasskeyLogin } from '../use-cases/finish-passkey-login.use-case.js';
import { ListPasskeys } from '../use-cases/list-passkeys.use-case.js';
import { RemovePasskey } from '../use-cases/remove-passkey.use-case.js';
import { MailTokenSealer } from '../crypto/mail-token-sealer.codec.js';
import { AccountMailer } from '../use-cases/account-mail.service.js';
import { RequestEmailVerification } from '../use-cases/request-email-verification.use-case.js';
import { VerifyEmail } from '../use-cases/verify-email.use-case.js';
import { RequestPasswordReset } from '../use-cases/request-password-reset.use-case.js';
import { ResetPassword } from '../use-cases/reset-password.use-case.js';
import { RequestEmailChange } from '../use-cases/request-email-change.use-case.js';
import { ConfirmEmailChange } from '../use-cases/confirm-email-change.use-case.js';
import { NewDeviceNotifier } from '../use-cases/new-device-notice.service.js';
import type { AuthService } from './auth-service.types.js';
import { runCall, type CallOptions } from './call-options.util.js';
import type { AuthServiceDependencies, AuthServiceOptions } from './auth-service.config.js';
import { DEFAULT_AUTH_SERVICE_OPTIONS } from './auth-service.config.js';
import { checkAttemptLimits, type AttemptLimits } from '../validation/attempt-limits.rules.js';

/** Options as callers give them: every policy setting has a default except the refresh-token secret; limits one by one. */
export type AuthServiceSettings = Partial<Omit<AuthServiceOptions, 'limits' | 'tokenLifetimesMs'>> &
  Pick<AuthServiceOptions, 'refreshTokenSecret'> & { limits?: Partial<AttemptLimits>; tokenLifetimesMs?: Partial<AuthServiceOptions['tokenLifetimesMs']> };

/**
 * Builds the whole service from its ports: the one function an embedding application (or the gRPC
 * composition root) calls. Throws a RangeError on a nonsensical setting, so misconfiguration fails at start-up.
 */
export function createAuthService(deps: AuthServiceDependencies, settings: AuthServiceSettings): AuthService {
  const options: AuthServiceOptions = {
    ...DEFAULT_AUTH_SERVICE_OPTIONS,
    ...definedOnly(settings),
    topics: { ...DEFAULT_AUTH_SERVICE_OPTIONS.topics, ...settings.topics },
    limits: { ...DEFAULT_AUTH_SERVICE_OPTIONS.limits, ...definedOnly(settings.limits ?? {}) },
    tokenLifetimesMs: { ...DEFAULT_AUTH_SERVICE_OPTIONS.tokenLifetimesMs, ...definedOnly(settings.tokenLifetimesMs ?? {}) },
    refreshTokenSecret: settings.refreshTokenSecret,
  };
  checkOptions(options);

  const refreshTokens = new RefreshTokenCodec(options.refreshTokenSecret);
  const events = new AccountEventFactory({ ids: deps.ids, topics: options.topics, eventSource: options.eventSource });
  const attempts = new AttemptLimiter(deps.rateLimiter, options.limits);
  const securityEvents = new SecurityEventRecorder(deps, {
    topic: options.securityTopic,
    eventSource: options.eventSource,
    // A key of its own, derived from the refresh-token secret: the hash of a login name proves nothing about tokens.
    loginHashKey: createHmac('sha256', options.refreshTokenSecret).update('authsvc security-event login-name hash').digest(),
    ...(deps.securityEventObserver ? { onRecorded: deps.securityEventObserver } : {}),
  });
  const credentials = new CredentialChecker(deps, attempts);
  const tokens = new TokenPairIssuer(deps, refreshTokens, options);
  const validateToken = new ValidateToken(deps, {
    // No factor can be enrolled without TOTP keys or a relying party: the policy would lock those roles out, so it waits.
    mfaRequiredForRoles: options.secretBox !== undefined || options.passkeys !== undefined ? options.mfaRequiredForRoles : [],
  });
  const passkeys = new PasskeyCeremonies(deps, options);
  const secondFactors = new SecondFactorVerifier(deps, attempts, options, securityEvents, passkeys);
  const tickets = new MfaTickets(deps, options);
  const stepUp = new StepUp(deps, options);
  const newDevices = options.notifyNewDevices ? new NewDeviceNotifier(deps, deps.newDeviceNoticeFailed) : null;
  const mailer = new AccountMailer(deps, new MailTokenSealer(options.refreshTokenSecret), options.tokenLifetimesMs);

  const useCases = {
    registerUser: new RegisterUser(deps, events, attempts),
    registerArtist: new RegisterArtist(deps, events, attempts),
    createAdmin: new CreateAdmin(deps, events, attempts),
    login: new Login(deps, credentials, tokens, tickets, securityEvents, options.requireVerifiedEmail, newDevices),
    refreshToken: new RefreshToken(deps, refreshTokens, tokens, options, securityEvents),
    logout: new Logout(deps, refreshTokens, securityEvents),
    getUser: new GetUser(deps),
    getArtist: new GetArtist(deps),
    updateUser: new UpdateUser(deps, events, attempts),
    updateArtist: new UpdateArtist(deps, events, attempts),
    changePassword: new ChangePassword(deps, credentials, tokens, stepUp, securityEvents),
    getJwks: new GetJwks(deps),
    revokeSessions: new RevokeSessions(deps, securityEvents),
    setRole: new SetRole(deps, events, securityEvents),
    authenticate: new Authenticate(validateToken),
    completeLogin: new CompleteLogin(deps, secondFactors, tokens, securityEvents, newDevices),
    beginTotpEnrolment: new BeginTotpEnrolment(deps, options),
    confirmTotpEnrolment: new ConfirmTotpEnrolment(deps, attempts, options, securityEvents),
    disableTotp: new DisableTotp(deps, credentials, secondFactors, stepUp, securityEvents),
    regenerateRecoveryCodes: new RegenerateRecoveryCodes(deps, secondFactors, securityEvents),
    requestEmailVerification: new RequestEmailVerification(deps, mailer, attempts),
    verifyEmail: new VerifyEmail(deps, events, attempts),
    requestPasswordReset: new RequestPasswordReset(deps, mailer, attempts, options.passwordResetReplyFloorMs, securityEvents),
    resetPassword: new ResetPassword(deps, events, attempts, securityEvents),
    requestEmailChange: new RequestEmailChange(deps, credentials, mailer, attempts),
    confirmEmailChange: new ConfirmEmailChange(deps, events, attempts, securityEvents),
    listSessions: new ListSessions(deps),
    revokeSession: new RevokeSession(deps, securityEvents),
    listSecurityEvents: new ListSecurityEvents(deps, deps.securityEvents),
    searchAccounts: new SearchAccounts(deps),
    disableAccount: new DisableAccount(deps, securityEvents),
    enableAccount: new EnableAccount(deps, securityEvents),
    exportAccountData: new ExportAccountData(deps, attempts),
    beginPasskeyRegistration: new BeginPasskeyRegistration(deps, passkeys),
    finishPasskeyRegistration: new FinishPasskeyRegistration(deps, attempts, passkeys, options, securityEvents),
    beginPasskeyLogin: new BeginPasskeyLogin(deps, passkeys, attempts),
    finishPasskeyLogin: new FinishPasskeyLogin(deps, attempts, passkeys, tokens, securityEvents, options),
    listPasskeys: new ListPasskeys(deps),
    removePasskey: new RemovePasskey(deps, stepUp, securityEvents),
    deleteAccount: new DeleteAccount(deps, credentials, stepUp, events, securityEvents, options),
    restoreAccount: new RestoreAccount(deps, events, securityEvents),
    resetSecondFactors: new ResetSecondFactors(deps, securityEvents),
    purgeDeletedAccounts: new PurgeDeletedAccounts(deps, events, securityEvents, options),
  };

  // Every operation runs under its call options: refused once the signal fired, its abort reported as a domain error.
  return {
    registerUser: (input, call) => runCall(call, (signal) => useCases.registerUser.execute(input, signal, call?.clientAddress)),
    registerArtist: (input, call) => runCall(call, (signal) => useCases.registerArtist.execute(input, signal, call?.clientAddress)),
    createAdmin: (input, call) => runCall(call, (signal) => useCases.createAdmin.execute(input, signal, call?.clientAddress)),
    login: (input, call) => runCall(call, (signal) => useCases.login.execute(input, signal, call?.clientAddress, call?.userAgent)),
    refreshToken: (input, call) => runCall(call, () => useCases.refreshToken.execute(input, clientOf(call))),
    logout: (input, call) => runCall(call, () => useCases.logout.execute(input, clientOf(call))),
    getUser: (caller, input, call) => runCall(call, () => useCases.getUser.execute(caller, input)),
    getArtist: (caller, input, call) => runCall(call, () => useCases.getArtist.execute(caller, input)),
    updateUser: (caller, input, call) => runCall(call, (signal) => useCases.updateUser.execute(caller, input, signal)),
    updateArtist: (caller, input, call) => runCall(call, (signal) => useCases.updateArtist.execute(caller, input, signal)),
    changePassword: (caller, input, call) => runCall(call, (signal) => useCases.changePassword.execute(caller, input, signal, call?.clientAddress, call?.userAgent)),
    validateToken: (input, call) => runCall(call, () => validateToken.execute(input)),
    getJwks: (call) => runCall(call, () => useCases.getJwks.execute()),
    revokeSessions: (caller, input, call) => runCall(call, () => useCases.revokeSessions.execute(caller, input, clientOf(call))),
    setRole: (caller, input, call) => runCall(call, (signal) => useCases.setRole.execute(caller, input, signal, clientOf(call))),
    authenticate: (accessToken, call) => runCall(call, () => useCases.authenticate.execute({ accessToken })),
    completeLogin: (input, call) => runCall(call, (signal) => useCases.completeLogin.execute(input, signal, clientOf(call))),
    beginTotpEnrolment: (caller, input, call) => runCall(call, () => useCases.beginTotpEnrolment.execute(caller, input)),
    confirmTotpEnrolment: (caller, input, call) => runCall(call, () => useCases.confirmTotpEnrolment.execute(caller, input, clientOf(call))),
    disableTotp: (caller, input, call) => runCall(call, (signal) => useCases.disableTotp.execute(caller, input, signal, call?.clientAddress, call?.userAgent)),
    regenerateRecoveryCodes: (caller, input, call) => runCall(call, () => useCases.regenerateRecoveryCodes.execute(caller, input, clientOf(call))),
    requestEmailVerification: (caller, input, call) => runCall(call, (signal) => useCases.requestEmailVerification.execute(caller, input, signal)),
    verifyEmail: (input, call) => runCall(call, (signal) => useCases.verifyEmail.execute(input, signal, call?.clientAddress)),
    requestPasswordReset: (input, call) => runCall(call, (signal) => useCases.requestPasswordReset.execute(input, signal, clientOf(call))),
    resetPassword: (input, call) => runCall(call, (signal) => useCases.resetPassword.execute(input, signal, clientOf(call))),
    requestEmailChange: (caller, input, call) => runCall(call, (signal) => useCases.requestEmailChange.execute(caller, input, signal, call?.clientAddress)),
    confirmEmailChange: (caller, input, call) => runCall(call, (signal) => useCases.confirmEmailChange.execute(caller, input, signal, clientOf(call))),
    listSessions: (caller, input, call) => runCall(call, () => useCases.listSessions.execute(caller, input)),
    revokeSession: (caller, input, call) => runCall(call, () => useCases.revokeSession.execute(caller, input, clientOf(call))),
    listSecurityEvents: (caller, input, call) => runCall(call, () => useCases.listSecurityEvents.execute(caller, input)),
    flushSecurityEvents: () => securityEvents.flush(),
    searchAccounts: (caller, input, call) => runCall(call, (signal) => useCases.searchAccounts.execute(caller, input, signal)),
    disableAccount: (caller, input, call) => runCall(call, (signal) => useCases.disableAccount.execute(caller, input, signal, clientOf(call))),
    enableAccount: (caller, input, call) => runCall(call, (signal) => useCases.enableAccount.execute(caller, input, signal, clientOf(call))),
    exportAccountData: (caller, input, call) => runCall(call, (signal) => useCases.exportAccountData.execute(caller, input, signal)),
    beginPasskeyRegistration: (caller, input, call) => runCall(call, () => useCases.beginPasskeyRegistration.execute(caller, input)),
    finishPasskeyRegistration: (caller, input, call) => runCall(call, () => useCases.finishPasskeyRegistration.execute(caller, input, clientOf(call))),
    beginPasskeyLogin: (input, call) => runCall(call, () => useCases.beginPasskeyLogin.execute(input, call?.clientAddress)),
    finishPasskeyLogin: (input, call) => runCall(call, () => useCases.finishPasskeyLogin.execute(input, call?.clientAddress, call?.userAgent)),
    listPasskeys: (caller, input, call) => runCall(call, () => useCases.listPasskeys.execute(caller, input)),
    removePasskey: (caller, input, call) => runCall(call, () => useCases.removePasskey.execute(caller, input, clientOf(call))),
    deleteAccount: (caller, input, call) => runCall(call, (signal) => useCases.deleteAccount.execute(caller, input, signal, clientOf(call))),
    restoreAccount: (caller, input, call) => runCall(call, (signal) => useCases.restoreAccount.execute(caller, input, signal, clientOf(call))),
    resetSecondFactors: (caller, input, call) => runCall(call, (signal) => useCases.resetSecondFactors.execute(caller, input, signal, clientOf(call))),
    purgeDeletedAccounts: (call) => runCall(call, (signal) => useCases.purgeDeletedAccounts.execute(signal)),
  };
}

/** The client of a call, as security events record it. */
function clientOf(call: CallOptions | undefined): { clientAddress?: string; userAgent?: string } {
  return { ...(call?.clientAddress === undefined ? {} : { clientAddress: call.clientAddress }), ...(call?.userAgent === undefined ? {} : { userAgent: call.userAgent }) };
}

/** `{ accessTokenTtlMs: undefined }` keeps the default rather than erasing it. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function positiveMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number of ms`);
}

function checkOptions(options: AuthServiceOptions): void {
  const positive = (name: keyof AuthServiceOptions, value: number): void => {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number of ms`);
  };
  positive('accessTokenTtlMs', options.accessTokenTtlMs);
  positive('sessionTtlMs', options.sessionTtlMs);
  if (!Number.isSafeInteger(options.refreshGraceMs) || options.refreshGraceMs < 0) {
    throw new RangeError('refreshGraceMs must be a whole number of ms, 0 or more');
  }
  for (const [purpose, ms] of Object.entries(options.tokenLifetimesMs)) positiveMs(`tokenLifetimesMs.${purpose}`, ms);
  if (!Number.isSafeInteger(options.passwordResetReplyFloorMs) || options.passwordResetReplyFloorMs < 0) {
    throw new RangeError('passwordResetReplyFloorMs must be a whole number of ms, 0 or more');
  }
  if (options.eventSource === '') throw new RangeError('eventSource must not be empty');
  positive('mfaTicketTtlMs', options.mfaTicketTtlMs);
  positive('reauthenticationWindowMs', options.reauthenticationWindowMs);
  if (!Number.isSafeInteger(options.deletionGraceMs) || options.deletionGraceMs < 0) throw new RangeError('deletionGraceMs must be a whole number of ms, 0 or more');
  if (options.totpIssuer === '' || options.totpIssuer.includes(':')) throw new RangeError('totpIssuer must be non-empty and hold no colon');
  for (const role of options.mfaRequiredForRoles) {
    if (!ROLES.includes(role)) throw new RangeError(`mfaRequiredForRoles: ${String(role)} is not a role`);
  }
  if (options.passkeys !== undefined) {
    if (options.passkeys.rpId === '' || /[/:]/.test(options.passkeys.rpId)) throw new RangeError('passkeys.rpId must be a domain name, without scheme or port');
    if (options.passkeys.origins.length === 0) throw new RangeError('passkeys.origins must list at least one origin');
  }
  if (options.securityTopic === '') throw new RangeError('securityTopic must not be empty');
  checkAttemptLimits(options.limits);
}
