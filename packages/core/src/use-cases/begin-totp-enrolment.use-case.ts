import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { DomainError } from '../errors/domain.errors.js';
import { newTotpSecret, totpUri } from '../crypto/totp.codec.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import { requireAccount } from './account-lookup.service.js';
import { requireSecretBox } from './second-factor-verifier.service.js';

export interface BeginTotpEnrolmentInput {
  id: string;
}
export interface BeginTotpEnrolmentOutput {
  /** The shared secret, base32: shown once, for typing into an authenticator app. */
  secret: string;
  /** The same as an `otpauth://totp/...` URI (what a QR code carries). */
  uri: string;
}

/**
 * Starts enrolling a TOTP authenticator for the caller's own account: a new secret, sealed at rest, pending until
 * ConfirmTotpEnrolment proves an app holds it. Starting again replaces a pending secret; an enabled authenticator must
 * be disabled first (TOTP_ALREADY_ENABLED).
 */
export class BeginTotpEnrolment {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'secondFactors' | 'clock'>,
    private readonly options: Pick<AuthServiceOptions, 'secretBox' | 'totpIssuer'>,
  ) {}

  async execute(caller: Caller, input: BeginTotpEnrolmentInput): Promise<BeginTotpEnrolmentOutput> {
    authorizeCaller('BeginTotpEnrolment', caller, input.id);
    const box = requireSecretBox(this.options);
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    const secret = newTotpSecret();
    if (!(await this.deps.secondFactors.beginTotp(account.id, box.seal(secret, account.id), this.deps.clock.now()))) {
      throw new DomainError('TOTP_ALREADY_ENABLED');
    }
    return { secret, uri: totpUri(secret, this.options.totpIssuer, account.username) };
  }
}
