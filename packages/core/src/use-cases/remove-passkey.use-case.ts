import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';
import type { StepUp } from './step-up.service.js';

export interface RemovePasskeyInput {
  id: string;
  /** The credential id ListPasskeys gave. */
  credentialId: string;
}

/**
 * Removes one of the caller's passkeys, from a session signed in with a second factor recently (StepUp). When it was
 * the last factor, the recovery codes go too. Security event `auth.mfa.removed` (reason `passkey`).
 */
export class RemovePasskey {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'secondFactors' | 'clock'>,
    private readonly stepUp: StepUp,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: RemovePasskeyInput, client: EventClient = {}): Promise<void> {
    const principal = authorizeCaller('RemovePasskey', caller, input.id);
    const violations = new FieldViolations();
    if (typeof input.credentialId !== 'string' || input.credentialId === '') violations.add('credential_id', 'is required');
    else if (input.credentialId.length > 1_024) violations.add('credential_id', 'must be at most 1024 characters');
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const passkeys = await this.deps.secondFactors.passkeysOf(input.id);
    if (!passkeys.some((p) => p.credentialId === input.credentialId)) throw new DomainError('PASSKEY_NOT_FOUND');
    await this.stepUp.require(principal, input.id, now);
    const totp = await this.deps.secondFactors.totpOf(input.id);
    const lastFactor = passkeys.length === 1 && (totp === null || totp.confirmedAt === null);
    if (!(await this.deps.secondFactors.removePasskey(input.id, input.credentialId, lastFactor))) throw new DomainError('PASSKEY_NOT_FOUND');
    this.securityEvents.record([{ type: 'auth.mfa.removed', accountId: input.id, sessionId: principal.sessionId, reason: 'passkey' }], client);
  }
}
