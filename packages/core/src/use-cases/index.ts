// Exports of src/use-cases (owned by the helper that builds use-cases), plus the pieces around them
// other packages need: createAuthService, the authorization table, the validation limits, the event factory.

export * from '../service/auth-service.factory.js';
export * from '../auth/authorization.rules.js';
export * from '../validation/index.js';
export * from '../events/index.js';

export * from './register-user.use-case.js';
export * from './register-artist.use-case.js';
export * from './create-admin.use-case.js';
export * from './login.use-case.js';
export * from './refresh-token.use-case.js';
export * from './logout.use-case.js';
export * from './get-user.use-case.js';
export * from './get-artist.use-case.js';
export * from './update-user.use-case.js';
export * from './update-artist.use-case.js';
export * from './change-password.use-case.js';
export * from './validate-token.use-case.js';
export * from './authenticate.use-case.js';
export * from './get-jwks.use-case.js';
export * from './revoke-sessions.use-case.js';
export * from './set-role.use-case.js';
export * from './token-pair-issuer.service.js';
export * from './credential-checker.service.js';
export type * from './refresh-token-format.codec.js';
