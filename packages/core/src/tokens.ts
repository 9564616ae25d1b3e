/**
 * Injection tokens for every port, for composition roots that use a DI container.
 * Core itself never resolves them: it takes its dependencies as plain arguments.
 */
export const TOKENS = {
  AccountReader: Symbol.for('authsvc.AccountReader'),
  UnitOfWork: Symbol.for('authsvc.UnitOfWork'),
  OutboxRelayStore: Symbol.for('authsvc.OutboxRelayStore'),
  EventPublisher: Symbol.for('authsvc.EventPublisher'),
  SessionStore: Symbol.for('authsvc.SessionStore'),
  LoginThrottle: Symbol.for('authsvc.LoginThrottle'),
  PasswordHasher: Symbol.for('authsvc.PasswordHasher'),
  AccessTokenSigner: Symbol.for('authsvc.AccessTokenSigner'),
  AccessTokenVerifier: Symbol.for('authsvc.AccessTokenVerifier'),
  PublicKeySet: Symbol.for('authsvc.PublicKeySet'),
  Clock: Symbol.for('authsvc.Clock'),
  IdGenerator: Symbol.for('authsvc.IdGenerator'),
  AuthService: Symbol.for('authsvc.AuthService'),
  OutboxRelay: Symbol.for('authsvc.OutboxRelay'),
} as const;
