import { ROLES, DEFAULT_ATTEMPT_LIMITS, DEFAULT_AUTH_SERVICE_OPTIONS, DEFAULT_MAIL_DELIVERY_OPTIONS, DEFAULT_MAIL_SUBJECTS } from '@authsvc/core';
import { addressRangeList, base64urlSecret, choice, duration, flag, integer, list, opt, optional, roleList, text, urlWith } from './option.config.js';

const LIMITS = DEFAULT_ATTEMPT_LIMITS;
const TOKEN_TTL = DEFAULT_AUTH_SERVICE_OPTIONS.tokenLifetimesMs;

const port = () => integer(0, 65_535);

/**
 * Every setting of the server. The YAML key is the path in this object; the environment variable is
 * AUTH_ + the path in SNAKE_CASE (grpc.maxMessageBytes -> AUTH_GRPC_MAX_MESSAGE_BYTES). Defaults suit
 * embedded mode: no server of any kind needed.
 */
export const CONFIG_OPTIONS = {
  dataDir: opt(text(), './.data', 'Folder for embedded state: PGlite database, generated signing keys and refresh-token secret.'),
  grpc: {
    host: opt(text(), '127.0.0.1', 'Address the gRPC server binds to.'),
    port: opt(port(), 50051, 'gRPC port (0 picks a free port).'),
    tlsCert: optional(text(), 'PEM certificate file; with grpc.tlsKey turns on TLS.'),
    tlsKey: optional(text(), 'PEM private key file of grpc.tlsCert.'),
    tlsClientCa: optional(text(), 'PEM CA file; when set, clients must present a certificate it signed (mutual TLS).'),
    maxMessageBytes: opt(integer(1_024, 4_194_304), 65_536, 'Largest request or response message accepted.'),
    shutdownTimeout: opt(duration(0), 10_000, 'How long in-flight calls may run after SIGTERM/SIGINT before they are cancelled.'),
    trustedProxies: optional(
      addressRangeList(),
      'IP addresses or CIDR ranges of proxies in front of the server: only a call from one of them has its client address read from grpc.clientAddressHeader (default none: the peer address is the client address).',
    ),
    clientAddressHeader: opt(choice(['x-forwarded-for', 'forwarded']), 'x-forwarded-for', 'The header trusted proxies name the client in: x-forwarded-for or forwarded (RFC 7239).'),
  },
  http: {
    host: opt(text(), '127.0.0.1', 'Address the HTTP side port (metrics, JWKS, livez/readyz) binds to.'),
    port: opt(port(), 0, 'HTTP side port; 0 turns it off.'),
  },
  database: {
    url: optional(urlWith(['postgres', 'postgresql']), 'PostgreSQL URL; when unset the embedded PGlite database in <dataDir>/pglite is used.', {
      redact: 'url',
    }),
    poolSize: opt(integer(1, 1_000), 10, 'Connections in the PostgreSQL pool.'),
    statementTimeout: opt(duration(0), 5_000, 'PostgreSQL statement timeout (0 = none).'),
    ssl: opt(choice(['off', 'require', 'verify']), 'off', 'TLS to PostgreSQL: off, require (no certificate check) or verify.'),
    preparedStatements: opt(flag(), true, 'Keep the hot read queries prepared on each PostgreSQL connection; set false behind a transaction-mode pooler that cannot follow named statements (PgBouncer before 1.21).'),
    migrate: optional(flag(), 'Run pending migrations at start-up.', { defaultText: 'true in embedded mode, false when database.url is set' }),
  },
  redis: {
    url: optional(urlWith(['redis', 'rediss']), 'Redis URL; when unset sessions and attempt counters live in memory (one instance only).', {
      redact: 'url',
    }),
    password: optional(text(), 'Redis password (instead of putting it in the URL).', { redact: 'secret' }),
    keyPrefix: opt(text().regex(/^[^{}]*$/, 'must not contain { or }'), 'authsvc:', 'Prefix of every Redis key (no braces: they would pin every key to one cluster slot).'),
    commandTimeout: opt(duration(1), 1_000, 'Timeout of one Redis command.'),
    sentinels: optional(list(), 'Sentinel host:port list; when set, Redis is reached through Sentinel.'),
    sentinelName: opt(text(), 'mymaster', 'Name of the Sentinel-monitored master.'),
    clusterNodes: optional(list(), 'Cluster seed host:port list; when set, Redis Cluster is used.'),
    revocationCache: opt(
      flag(),
      true,
      'Answer revocation checks from an in-process cache that Redis invalidates (CLIENT TRACKING, docs/decisions/0013); every check reads Redis whenever the invalidation connection is not proven live. Not used with redis.clusterNodes.',
    ),
    revocationCacheMaxSilence: opt(
      duration(10),
      300,
      'Longest the revocation cache answers without a heartbeat from its invalidation connection: the bound on how long a stalled (not closed) connection can hide a revocation.',
    ),
  },
  kafka: {
    brokers: optional(list(), 'Kafka bootstrap brokers (host:port list); when unset events are written to the log instead.'),
    clientId: opt(text(), 'authsvc', 'Kafka client id.'),
    ssl: opt(flag(), false, 'TLS to Kafka.'),
    saslMechanism: optional(choice(['plain', 'scram-sha-256', 'scram-sha-512']), 'SASL mechanism; needs kafka.saslUsername and kafka.saslPassword.'),
    saslUsername: optional(text(), 'SASL user name.'),
    saslPassword: optional(text(), 'SASL password.', { redact: 'secret' }),
    createTopics: opt(flag(), false, 'Create the event topics at start-up if missing.'),
    topicPartitions: opt(integer(1, 1_000), 3, 'Partitions of a topic created by kafka.createTopics (order holds per account).'),
    topicReplicationFactor: opt(integer(1, 10), 1, 'Replicas of a topic created by kafka.createTopics (3 in production clusters).'),
    topics: {
      userCreated: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['user.created'], 'Topic of user.created events.'),
      artistCreated: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['artist.created'], 'Topic of artist.created events.'),
      userUpdated: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['user.updated'], 'Topic of user.updated events.'),
      artistUpdated: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['artist.updated'], 'Topic of artist.updated events.'),
      userDeleted: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['user.deleted'], 'Topic of user.deleted events (an account asked to be deleted; erased after accounts.deletionGrace).'),
      artistDeleted: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['artist.deleted'], 'Topic of artist.deleted events.'),
      userRestored: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['user.restored'], 'Topic of user.restored events (an admin cancelled a deletion).'),
      artistRestored: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['artist.restored'], 'Topic of artist.restored events.'),
      userErased: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['user.erased'], 'Topic of user.erased events (the account\'s personal data is gone: erase your copies).'),
      artistErased: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.topics['artist.erased'], 'Topic of artist.erased events.'),
      security: opt(text(), DEFAULT_AUTH_SERVICE_OPTIONS.securityTopic, 'Topic of every security event (auth.login.failed, auth.session.revoked...; docs/events.md).'),
    },
  },
  jwt: {
    issuer: opt(text(), 'authsvc', 'Access-token issuer (iss).'),
    audience: opt(text(), 'authsvc', 'Access-token audience (aud).'),
    algorithm: opt(choice(['EdDSA', 'ES256', 'RS256']), 'EdDSA', 'Algorithm of signing keys generated in embedded mode.'),
    keysFile: optional(text(), 'JSON key-set file of private signing keys; unset in embedded mode: generated in <dataDir>/signing-keys.json.'),
    accessTokenTtl: opt(duration(1_000), DEFAULT_AUTH_SERVICE_OPTIONS.accessTokenTtlMs, 'Lifetime of an access token.'),
  },
  session: {
    ttl: opt(duration(60_000), DEFAULT_AUTH_SERVICE_OPTIONS.sessionTtlMs, 'Absolute lifetime of a login session (refresh-token family).'),
    refreshGrace: opt(duration(0), DEFAULT_AUTH_SERVICE_OPTIONS.refreshGraceMs, 'How long the previous refresh token still yields the same successor (0 disables).'),
    refreshTokenSecret: optional(base64urlSecret(32), 'HMAC key of refresh tokens, base64url, at least 32 bytes, the same on every instance.', {
      redact: 'secret',
    }),
    refreshTokenSecretFile: optional(text(), 'File holding session.refreshTokenSecret; unset in embedded mode: generated in <dataDir>/refresh-token.secret.'),
  },
  password: {
    bcryptCost: opt(integer(4, 15), 10, 'bcrypt cost of new password hashes.'),
    hashThreads: opt(integer(1, 64), 2, 'Worker threads that hash passwords off the event loop.'),
    hashThreadNice: opt(
      integer(0, 19),
      2,
      'Linux only: nice value of the hash threads, below the event loop (0 = the same priority). When every core hashes, the event loop and the calls it serves get a core sooner; idle cores still go to hashing.',
    ),
    hashQueueLimit: opt(
      integer(0, 100_000),
      256,
      'Password hashes that may wait for a thread; one more call that needs a hash gets RESOURCE_EXHAUSTED (OVERLOADED) with RetryInfo at once.',
    ),
    algorithm: opt(
      choice(['bcrypt', 'argon2id']),
      'bcrypt',
      'Algorithm of new password hashes: bcrypt (passwords up to 72 bytes) or argon2id (up to 1024 bytes). Every stored bcrypt, argon2id, scrypt or pbkdf2-sha256 hash still verifies; a login replaces one made otherwise.',
    ),
    argon2MemoryKib: opt(integer(8, 262_144), 19_456, 'argon2id memory per hash, in KiB (default 19 MiB, OWASP).'),
    argon2Iterations: opt(integer(1, 20), 2, 'argon2id passes over the memory (OWASP: 2).'),
    argon2Parallelism: opt(integer(1, 16), 1, 'argon2id lanes (OWASP: 1).'),
  },
  throttle: {
    maxFailures: opt(
      integer(1, 1_000),
      LIMITS.loginPerAddress.max,
      'Password checks (Login, ChangePassword) of one login name from one client address per throttle.window; a success starts the count again.',
    ),
    window: opt(duration(1_000), LIMITS.loginPerAddress.windowMs, 'Window of every login limit (throttle.maxFailures, maxFailuresPerLogin, maxFailuresPerAddress).'),
    maxFailuresPerLogin: opt(
      integer(1, 1_000_000),
      LIMITS.loginPerName.max,
      'Failed password checks of one login name from all addresses together per throttle.window (looser than throttle.maxFailures, so one guessing address cannot lock the owner out).',
    ),
    maxFailuresPerAddress: opt(integer(1, 1_000_000), LIMITS.failedLoginsPerAddress.max, 'Failed password checks from one client address, whatever the login name, per throttle.window.'),
    maxRegistrationsPerAddress: opt(integer(1, 1_000_000), LIMITS.registrationsPerAddress.max, 'Registrations from one client address per throttle.registrationWindow.'),
    registrationWindow: opt(duration(1_000), LIMITS.registrationsPerAddress.windowMs, 'Window of throttle.maxRegistrationsPerAddress.'),
    maxIdentityChanges: opt(integer(1, 1_000_000), LIMITS.identityChanges.max, 'Changes of an account\'s username or email per throttle.identityChangeWindow (each may probe whether a name is taken).'),
    identityChangeWindow: opt(duration(1_000), LIMITS.identityChanges.windowMs, 'Window of throttle.maxIdentityChanges.'),
    maxSecondFactorFailures: opt(integer(1, 1_000), LIMITS.secondFactorPerAccount.max, 'Wrong TOTP or recovery codes per account per throttle.secondFactorWindow (CompleteLogin, enrolment, DisableTotp...), whichever ticket or session carries them.'),
    secondFactorWindow: opt(duration(1_000), LIMITS.secondFactorPerAccount.windowMs, 'Window of throttle.maxSecondFactorFailures.'),
    maxMailsPerAccount: opt(integer(1, 1_000_000), LIMITS.mailsPerAccount.max, 'Mails (verification, password reset, email change) for one account per throttle.mailWindow; RESOURCE_EXHAUSTED beyond.'),
    maxMailsPerAddress: opt(integer(1, 1_000_000), LIMITS.mailsPerAddress.max, 'Mails to one address per throttle.mailWindow, counted alike for known and unknown addresses.'),
    mailWindow: opt(duration(1_000), LIMITS.mailsPerAccount.windowMs, 'Window of throttle.maxMailsPerAccount and throttle.maxMailsPerAddress.'),
    maxTokenRedemptionsPerAddress: opt(
      integer(1, 1_000_000),
      LIMITS.tokenRedemptionsPerAddress.max,
      'Failed mailed-token redemptions (VerifyEmail, ResetPassword, ConfirmEmailChange) from one client address per throttle.tokenRedemptionWindow.',
    ),
    tokenRedemptionWindow: opt(duration(1_000), LIMITS.tokenRedemptionsPerAddress.windowMs, 'Window of throttle.maxTokenRedemptionsPerAddress.'),
    maxDataExports: opt(integer(1, 1_000_000), LIMITS.dataExports.max, 'Exports of one account\'s data (ExportAccountData) per throttle.dataExportWindow, whoever asks.'),
    dataExportWindow: opt(duration(1_000), LIMITS.dataExports.windowMs, 'Window of throttle.maxDataExports.'),
    maxPasskeyChallengesPerAddress: opt(
      integer(1, 1_000_000),
      LIMITS.passkeyChallengesPerAddress.max,
      'Passkey sign-in challenges (BeginPasskeyLogin, open to anyone) from one client address per throttle.passkeyChallengeWindow.',
    ),
    passkeyChallengeWindow: opt(duration(1_000), LIMITS.passkeyChallengesPerAddress.windowMs, 'Window of throttle.maxPasskeyChallengesPerAddress.'),
    maxPasswordResetRequestsPerAddress: opt(
      integer(1, 1_000_000),
      LIMITS.passwordResetRequestsPerAddress.max,
      'Password-reset requests (RequestPasswordReset, open to anyone) from one client address per throttle.passwordResetRequestWindow, whatever addresses they name.',
    ),
    passwordResetRequestWindow: opt(duration(1_000), LIMITS.passwordResetRequestsPerAddress.windowMs, 'Window of throttle.maxPasswordResetRequestsPerAddress.'),
  },
  outbox: {
    relayEnabled: opt(flag(), true, 'Run the outbox relay inside the server (turn off when it runs as its own process).'),
    pollInterval: opt(duration(10), 1_000, 'How often the relay looks for due events when not woken by a commit.'),
    batchSize: opt(integer(1, 10_000), 100, 'Events the relay claims per batch.'),
    retention: opt(duration(0), 7 * 86_400_000, 'How long published events are kept before being pruned.'),
    auditRetention: opt(duration(0), 90 * 86_400_000, 'How long security events stay in the audit trail (ListSecurityEvents) before the relay prunes them.'),
  },
  accounts: {
    deletionGrace: opt(duration(0), DEFAULT_AUTH_SERVICE_OPTIONS.deletionGraceMs, 'How long a deleted account is kept (an admin may restore it) before housekeeping erases it.'),
    purgeInterval: opt(duration(1_000), 3_600_000, 'How often the server\'s housekeeping erases the deleted accounts past accounts.deletionGrace (authsvc accounts purge runs it at once).'),
  },
  mfa: {
    totpIssuer: opt(text().regex(/^[^:]+$/, 'must not contain a colon'), DEFAULT_AUTH_SERVICE_OPTIONS.totpIssuer, 'Issuer name authenticator apps show beside the account (the otpauth:// URI\'s issuer).'),
    ticketTtl: opt(duration(10_000), DEFAULT_AUTH_SERVICE_OPTIONS.mfaTicketTtlMs, 'Lifetime of the MFA ticket Login returns to an account with a second factor.'),
    reauthenticationWindow: opt(duration(10_000), DEFAULT_AUTH_SERVICE_OPTIONS.reauthenticationWindowMs, 'Step-up: on an account with a second factor, ChangePassword, DisableTotp and DeleteAccount (of oneself) need a sign-in with it at most this long ago (else REAUTHENTICATION_REQUIRED).'),
    requiredForRoles: opt(
      roleList(ROLES),
      [...DEFAULT_AUTH_SERVICE_OPTIONS.mfaRequiredForRoles],
      'Roles whose accounts must sign in with a second factor (comma-separated, or none): such an account without one gets tokens that only enrol one (docs/mfa.md).',
    ),
    encryptionKeys: optional(list(), 'Keys that seal TOTP secrets at rest (AES-256-GCM): <id>:<base64url of 32 bytes> list; the first seals, all open (rotation: docs/mfa.md).', {
      redact: 'secret',
    }),
    encryptionKeysFile: optional(text(), 'File holding mfa.encryptionKeys, one <id>:<key> per line; unset in embedded mode: generated in <dataDir>/mfa-encryption.keys; unset with database.url: TOTP is off.'),
  },
  webauthn: {
    rpId: optional(
      text().regex(/^[a-z0-9.-]+$/i, 'must be a domain name, without scheme, port or path'),
      'Passkeys: the WebAuthn relying-party id, the site\'s registrable domain (e.g. example.com). Unset: passkeys are off (PASSKEYS_NOT_CONFIGURED); needs webauthn.origins.',
    ),
    rpName: opt(text(), 'authsvc', 'Passkeys: the name authenticators show when a passkey is created.'),
    origins: optional(list(), 'Passkeys: origins (scheme://host[:port] list) of the pages that run the WebAuthn ceremonies; a response from any other is refused. Required with webauthn.rpId.'),
  },
  mail: {
    smtpUrl: optional(
      urlWith(['smtp', 'smtps']),
      'SMTP server: smtp://[user[:password]@]host[:port] (STARTTLS, port 587 by default) or smtps://... (TLS from the start, 465). When unset (embedded mode) every mail is written as an .eml file under <dataDir>/mail/.',
      { redact: 'url' },
    ),
    smtpPassword: optional(text(), 'SMTP password (instead of putting it in the URL).', { redact: 'secret' }),
    smtpRequireTls: opt(flag(), true, 'With smtp://: refuse to send unless the server upgrades the connection with STARTTLS.'),
    smtpVerifyCertificate: opt(flag(), true, 'Verify the SMTP server\'s TLS certificate (false only for a development server with a self-signed one).'),
    from: opt(text(), 'authsvc <no-reply@localhost>', 'From header of every mail.'),
    productName: opt(text(), 'authsvc', 'The service\'s name as the mails call it.'),
    baseUrl: opt(urlWith(['http', 'https']), 'http://localhost:3000', 'Base of the links in mails: <baseUrl>/verify-email, /reset-password or /confirm-email-change, with ?token=...'),
    subjectVerifyEmail: opt(text(), DEFAULT_MAIL_SUBJECTS['verify-email'], 'Subject of the email-verification mail.'),
    subjectResetPassword: opt(text(), DEFAULT_MAIL_SUBJECTS['reset-password'], 'Subject of the password-reset mail.'),
    subjectConfirmEmailChange: opt(text(), DEFAULT_MAIL_SUBJECTS['confirm-email-change'], 'Subject of the mail to the new address of an email change.'),
    subjectEmailChangeNotice: opt(text(), DEFAULT_MAIL_SUBJECTS['email-change-notice'], 'Subject of the notice to the current address of an email change.'),
    subjectNewDevice: opt(text(), DEFAULT_MAIL_SUBJECTS['new-device'], 'Subject of the notice of a sign-in from a new device.'),
    verifyTokenTtl: opt(duration(60_000), TOKEN_TTL['verify-email'], 'How long an email-verification link works.'),
    resetTokenTtl: opt(duration(60_000), TOKEN_TTL['reset-password'], 'How long a password-reset link works.'),
    changeTokenTtl: opt(duration(60_000), TOKEN_TTL['change-email'], 'How long an email-change confirmation link works.'),
    notifyNewDevices: opt(flag(), false, 'Mail the account\'s verified address when it signs in from a device (user agent and /24 or /48 network) never seen for it, its first device excepted; costs a database transaction per successful sign-in.'),
    requireVerifiedEmail: opt(flag(), false, 'Refuse Login (FAILED_PRECONDITION, EMAIL_NOT_VERIFIED) until the account\'s email is verified; told only after the password was verified.'),
    resetReplyFloor: opt(duration(0), DEFAULT_AUTH_SERVICE_OPTIONS.passwordResetReplyFloorMs, 'RequestPasswordReset answers no sooner than this, so its timing cannot tell a known address from an unknown one.'),
    deliveryEnabled: opt(flag(), true, 'Run the mail delivery worker inside the server (turn off when it runs as its own process: authsvc mail deliver).'),
    pollInterval: opt(duration(10), DEFAULT_MAIL_DELIVERY_OPTIONS.pollIntervalMs, 'How often the delivery worker looks for due mail.'),
    maxAttempts: opt(integer(1, 1_000), DEFAULT_MAIL_DELIVERY_OPTIONS.maxAttempts, 'Tries of one mail in all (connection failures, 4xx replies...) before it is abandoned.'),
    maxRejections: opt(integer(1, 1_000), DEFAULT_MAIL_DELIVERY_OPTIONS.maxRejections, 'Permanent refusals (SMTP 5xx) of one mail before it is abandoned.'),
    retryBase: opt(duration(1), DEFAULT_MAIL_DELIVERY_OPTIONS.backoff.baseMs, 'Upper bound of the first retry delay after a failed send (doubling, full jitter).'),
    retryCap: opt(duration(1), DEFAULT_MAIL_DELIVERY_OPTIONS.backoff.capMs, 'Upper bound of any retry delay.'),
  },
  log: {
    level: opt(choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info', 'Log level.'),
  },
  allowInsecureEmbedded: opt(
    flag(),
    false,
    'Let embedded mode with a generated signing key or refresh-token secret serve on a non-loopback grpc.host or http.host (refused otherwise): for a container whose published port stays on loopback, or a trusted network.',
  ),
  web: {
    host: opt(text(), '127.0.0.1', 'Address the Connect and gRPC-Web server (browsers, mobile apps) binds to.'),
    port: optional(port(), 'Port of the Connect and gRPC-Web server (same handlers and call pipeline as gRPC); unset turns it off, 0 picks a free port.'),
    allowedOrigins: optional(list(), 'Origins (scheme://host[:port] list) whose pages may call the Connect and gRPC-Web server (CORS); a request from any other origin is refused.'),
  },
} as const;

export type ConfigOptions = typeof CONFIG_OPTIONS;
