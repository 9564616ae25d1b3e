/**
 * Why a token was refused. missing: no bearer token; invalid: not an access token of this issuer and audience (bad
 * signature, unknown key, wrong claims or type); expired; revoked: its session has ended (only with revocation
 * 'check'); unverifiable: it could not be checked now (the key set or ValidateToken unreachable, the breaker open);
 * mfa_enrolment_required: a role that must sign in with a second factor (the service's `mfa.requiredForRoles`) without
 * one in `amr`: the service issued it only so the account can enrol a factor, and refuses it for anything else.
 */
export type TokenRejection = 'missing' | 'invalid' | 'expired' | 'revoked' | 'unverifiable' | 'mfa_enrolment_required';

/** A refused access token. The message is safe to send to the caller; the underlying error, if any, is the cause. */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';

  constructor(
    readonly reason: TokenRejection,
    options: { cause?: unknown } = {},
  ) {
    super(MESSAGES[reason], options);
  }

  /** The caller may come back with the same token later (the refusal says nothing about the token). */
  get temporary(): boolean {
    return this.reason === 'unverifiable';
  }
}

const MESSAGES: Record<TokenRejection, string> = {
  missing: 'an access token is required',
  invalid: 'the access token is invalid',
  expired: 'the access token has expired',
  revoked: 'the session of the access token has ended',
  unverifiable: 'the access token cannot be verified at the moment',
  mfa_enrolment_required: 'the account must enrol a second factor and sign in with it',
};
