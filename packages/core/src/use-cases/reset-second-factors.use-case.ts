import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { SecondFactorKind } from '../domain/second-factor.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { requireAccount } from './account-lookup.service.js';
import type { EventClient, SecurityEventInput, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface ResetSecondFactorsInput {
  id: string;
}

export interface ResetSecondFactorsOutput {
  /** The factors the account had and no longer has, in SECOND_FACTORS order; empty when it had none. */
  removed: SecondFactorKind[];
  /** Sessions of the account ended by the reset. */
  sessionsRevoked: number;
}

/**
 * An admin's way back in for an account that lost its second factors (a lost phone, no recovery code left): removes
 * its TOTP authenticator, every passkey and every recovery code, and ends its sessions, so the next sign-in is with
 * the password alone (and, for a role the MFA policy covers, only to enrol a factor again). Admins only: an account
 * that still has a factor removes it itself, with step-up.
 *
 * Each removal is atomic on its own and the whole is idempotent: after a failure half-way, running it again finishes
 * the job (and reports only what that run removed). Security events: `auth.mfa.removed` per kind removed (reason
 * `totp` or `passkey`; the recovery codes go with them, or as `recovery_code` when they were all that was left), and
 * `auth.session.revoked` (cause `admin`) when sessions ended. The account itself may read them in ListSecurityEvents.
 */
export class ResetSecondFactors {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'secondFactors' | 'sessions' | 'clock'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: ResetSecondFactorsInput, signal?: AbortSignal, client: EventClient = {}): Promise<ResetSecondFactorsOutput> {
    authorizeCaller('ResetSecondFactors', caller, input.id);
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    throwIfAborted(signal);
    const factors = this.deps.secondFactors;
    const removed: SecondFactorKind[] = [];
    // Passkeys first and the TOTP last, which takes the recovery codes with it: until the last removal the account
    // keeps a factor, so a failure half-way never leaves recovery codes without anything they stand in for.
    const passkeys = await factors.passkeysOf(account.id);
    for (const passkey of passkeys) {
      if (await factors.removePasskey(account.id, passkey.credentialId, false)) {
        if (!removed.includes('passkey')) removed.push('passkey');
      }
    }
    const codesLeft = await factors.recoveryCodesLeft(account.id);
    const totp = await factors.totpOf(account.id);
    // A pending enrolment goes too, but only a confirmed authenticator was a factor.
    if ((await factors.removeTotp(account.id, true)) && totp?.confirmedAt != null) removed.unshift('totp');
    if (totp === null && codesLeft > 0) await factors.replaceRecoveryCodes(account.id, [], this.deps.clock.now());
    if (codesLeft > 0) removed.push('recovery_code');

    const now = this.deps.clock.now();
    const sessionsRevoked = await this.deps.sessions.revokeAllForAccount(account.id, now);
    const events: SecurityEventInput[] = removed.map((kind) => ({ type: 'auth.mfa.removed', accountId: account.id, reason: kind }));
    if (sessionsRevoked > 0) events.push({ type: 'auth.session.revoked', accountId: account.id, reason: 'admin', sessionCount: sessionsRevoked });
    if (events.length > 0) this.securityEvents.record(events, client);
    return { removed, sessionsRevoked };
  }
}
