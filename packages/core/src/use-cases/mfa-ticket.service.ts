import { createHash } from 'node:crypto';
import type { Account } from '../domain/account.model.js';
import { newTicketSecret, secretDigest } from '../crypto/one-time-secret.codec.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import type { SecondFactorChallenge } from '../service/auth-service.types.js';
import type { SecondFactorKind } from '../domain/second-factor.model.js';

/**
 * What an MFA ticket is bound to besides its account: the password hash and the role it was issued under (a digest:
 * the store holds no copy of the hash). A ChangePassword or SetRole between Login and CompleteLogin voids the ticket.
 */
export function credentialStamp(account: Pick<Account, 'passwordHash' | 'role' | 'deletedAt'>): string {
  // A deletion changes the stamp (tickets issued before it stop working); a live account's stamp is as it always was.
  const deleted = account.deletedAt === null ? '' : '\ndeleted';
  return createHash('sha256').update(`${account.role}\n${account.passwordHash}${deleted}`).digest('base64url');
}

/** Issues the MFA tickets of Login: 256 random bits for the client, their SHA-256 for the store. */
export class MfaTickets {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors'>,
    private readonly settings: Pick<AuthServiceOptions, 'mfaTicketTtlMs'>,
  ) {}

  /** `deviceName` (Login's, checked) is kept with the ticket for the session CompleteLogin starts. */
  async issue(account: Account, factors: SecondFactorKind[], now: Date, deviceName: string | null = null): Promise<SecondFactorChallenge> {
    const ticket = newTicketSecret();
    const expiresAt = new Date(now.getTime() + this.settings.mfaTicketTtlMs);
    const data = { stamp: credentialStamp(account), ...(deviceName === null ? {} : { deviceName }) };
    await this.deps.secondFactors.putChallenge(secretDigest(ticket), { purpose: 'mfa-login', accountId: account.id, data, expiresAt });
    return { ticket, expiresAt, factors };
  }
}
