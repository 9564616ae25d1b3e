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
import { SearchAccounts } from '../use-cases/search-accounts.use-case.js';
import { DisableAccount } from '../use-cases/disable-account.use-case.js';
import { EnableAccount } from '../use-cases/enable-account.use-case.js';
import { ExportAccountData } from '../use-cases/export-account-data.use-case.js';
import { TokenPairIssuer } from '../use-cases/token-pair-issuer.service.js';
import { UpdateArtist } from '../use-cases/update-artist.use-case.js';
import { UpdateUser } from '../use-cases/update-user.use-case.js';
import { ValidateToken } from '../use-cases/validate-token.use-case.js';
import type { AuthService } from './auth-service.types.js';
import { runCall } from './call-options.util.js';
import type { AuthServiceDependencies, AuthServiceOptions } from './auth-service.config.js';
import { DEFAULT_AUTH_SERVICE_OPTIONS } from './auth-service.config.js';
import { checkAttemptLimits, type AttemptLimits } from '../validation/attempt-limits.rules.js';

/** Options as callers give them: every policy setting has a default except the refresh-token secret; limits one by one. */
export type AuthServiceSettings = Partial<Omit<AuthServiceOptions, 'limits'>> &
  Pick<AuthServiceOptions, 'refreshTokenSecret'> & { limits?: Partial<AttemptLimits> };

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
    refreshTokenSecret: settings.refreshTokenSecret,
  };
  checkOptions(options);

  const refreshTokens = new RefreshTokenCodec(options.refreshTokenSecret);
  const events = new AccountEventFactory({ ids: deps.ids, topics: options.topics, eventSource: options.eventSource });
  const attempts = new AttemptLimiter(deps.rateLimiter, options.limits);
  const credentials = new CredentialChecker(deps, attempts);
  const tokens = new TokenPairIssuer(deps, refreshTokens, options);
  const validateToken = new ValidateToken(deps);

  const useCases = {
    registerUser: new RegisterUser(deps, events, attempts),
    registerArtist: new RegisterArtist(deps, events, attempts),
    createAdmin: new CreateAdmin(deps, events, attempts),
    login: new Login(deps, credentials, tokens),
    refreshToken: new RefreshToken(deps, refreshTokens, tokens, options),
    logout: new Logout(deps, refreshTokens),
    getUser: new GetUser(deps),
    getArtist: new GetArtist(deps),
    updateUser: new UpdateUser(deps, events, attempts),
    updateArtist: new UpdateArtist(deps, events, attempts),
    changePassword: new ChangePassword(deps, credentials, tokens),
    getJwks: new GetJwks(deps),
    revokeSessions: new RevokeSessions(deps),
    setRole: new SetRole(deps, events),
    authenticate: new Authenticate(validateToken),
    searchAccounts: new SearchAccounts(deps),
    disableAccount: new DisableAccount(deps),
    enableAccount: new EnableAccount(deps),
    exportAccountData: new ExportAccountData(deps, attempts),
  };

  // Every operation runs under its call options: refused once the signal fired, its abort reported as a domain error.
  return {
    registerUser: (input, call) => runCall(call, (signal) => useCases.registerUser.execute(input, signal, call?.clientAddress)),
    registerArtist: (input, call) => runCall(call, (signal) => useCases.registerArtist.execute(input, signal, call?.clientAddress)),
    createAdmin: (input, call) => runCall(call, (signal) => useCases.createAdmin.execute(input, signal, call?.clientAddress)),
    login: (input, call) => runCall(call, (signal) => useCases.login.execute(input, signal, call?.clientAddress)),
    refreshToken: (input, call) => runCall(call, () => useCases.refreshToken.execute(input)),
    logout: (input, call) => runCall(call, () => useCases.logout.execute(input)),
    getUser: (caller, input, call) => runCall(call, () => useCases.getUser.execute(caller, input)),
    getArtist: (caller, input, call) => runCall(call, () => useCases.getArtist.execute(caller, input)),
    updateUser: (caller, input, call) => runCall(call, (signal) => useCases.updateUser.execute(caller, input, signal)),
    updateArtist: (caller, input, call) => runCall(call, (signal) => useCases.updateArtist.execute(caller, input, signal)),
    changePassword: (caller, input, call) => runCall(call, (signal) => useCases.changePassword.execute(caller, input, signal, call?.clientAddress)),
    validateToken: (input, call) => runCall(call, () => validateToken.execute(input)),
    getJwks: (call) => runCall(call, () => useCases.getJwks.execute()),
    revokeSessions: (caller, input, call) => runCall(call, () => useCases.revokeSessions.execute(caller, input)),
    setRole: (caller, input, call) => runCall(call, (signal) => useCases.setRole.execute(caller, input, signal)),
    authenticate: (accessToken, call) => runCall(call, () => useCases.authenticate.execute({ accessToken })),
    searchAccounts: (caller, input, call) => runCall(call, (signal) => useCases.searchAccounts.execute(caller, input, signal)),
    disableAccount: (caller, input, call) => runCall(call, (signal) => useCases.disableAccount.execute(caller, input, signal)),
    enableAccount: (caller, input, call) => runCall(call, (signal) => useCases.enableAccount.execute(caller, input, signal)),
    exportAccountData: (caller, input, call) => runCall(call, (signal) => useCases.exportAccountData.execute(caller, input, signal)),
  };
}

/** `{ accessTokenTtlMs: undefined }` keeps the default rather than erasing it. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
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
  if (options.eventSource === '') throw new RangeError('eventSource must not be empty');
  checkAttemptLimits(options.limits);
}
