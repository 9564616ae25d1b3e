/**
 * Field names whose values are never written to the log, wherever they appear in a logged object (see
 * secret-redaction.util.ts). Passwords, tokens, keys and connection strings: the old service logged all of these.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'oldPassword',
  'newPassword',
  'old_password',
  'new_password',
  'currentPassword',
  'current_password',
  'sealedToken',
  'sealed_token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'token',
  'authorization',
  'secret',
  'refreshTokenSecret',
  'saslPassword',
  'privateKey',
  'keys',
  'url',
  'databaseUrl',
  'redisUrl',
  'cert',
  'clientCa',
  'ticket',
  'mfaTicket',
  'mfa_ticket',
  'totpCode',
  'totp_code',
  'recoveryCode',
  'recovery_code',
  'recoveryCodes',
  'recovery_codes',
  'otpauthUri',
  'otpauth_uri',
  'sealedSecret',
]);

/** What a secret field's value is replaced with. */
export const REDACTED = '[redacted]';
