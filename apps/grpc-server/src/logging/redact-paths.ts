/**
 * Field names whose values are never written to the log, wherever they appear (top level or one or two
 * levels down). Passwords, tokens, keys and connection strings: the old service logged all of these.
 */
const SECRET_FIELDS = [
  'password',
  'oldPassword',
  'newPassword',
  'old_password',
  'new_password',
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
];

export const REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);
