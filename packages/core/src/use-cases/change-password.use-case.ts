import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { normalizeLogin } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { TokenPair } from '../service/auth-service.types.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkNewPassword, checkPasswordLength, cleanUserAgent } from '../validation/field.rules.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';
import type { CredentialChecker } from './credential-checker.service.js';
import type { TokenPairIssuer } from './token-pair-issuer.service.js';
import type { StepUp } from './step-up.service.js';
import type { SecurityEventRecorder } from './security-event-recorder.service.js';

export interface ChangePasswordInput {
  id: string;
  oldPassword: string;
  newPassword: string;
}
export type ChangePasswordOutput = TokenPair;

/**
 * Replaces the password of the caller's own account after checking the old one (throttled like a login).
 *
 * Sessions: the caller gets a brand-new session and EVERY earlier session of the account is revoked, the
 * caller's included. A fresh pair for the caller's old session cannot be minted without consuming its current
 * refresh token (the store keeps only the counter), and if the password changes because it leaked, that old
 * session may be the attacker's too. For the caller the effect is the one promised: the returned pair works,
 * every other session's refresh and access tokens stop working.
 *
 * Step-up: on an account with a second factor, the caller must have signed in with it recently (StepUp).
 */
export class ChangePassword {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'sessions' | 'passwordHasher' | 'clock'>,
    private readonly credentials: CredentialChecker,
    private readonly tokens: TokenPairIssuer,
    private readonly stepUp: StepUp,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: ChangePasswordInput, signal?: AbortSignal, clientAddress?: string, userAgent?: string): Promise<ChangePasswordOutput> {
    const principal = authorizeCaller('ChangePassword', caller, input.id);
    const violations = new FieldViolations();
    violations.add('old_password', checkPasswordLength(input.oldPassword, this.deps.passwordHasher.maxPasswordBytes));
    violations.add('new_password', checkNewPassword(input.newPassword, this.deps.passwordHasher.maxPasswordBytes));
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    await this.stepUp.require(principal, account.id, now);
    // Counted as a login by username from the same address: the holder of a stolen access token guesses no faster here.
    const attempt = await this.credentials.begin(normalizeLogin(account.username), clientAddress, now);
    await attempt.verify(input.oldPassword, account.passwordHash, signal);
    await attempt.succeeded();

    const passwordHash = await this.deps.passwordHasher.hash(input.newPassword, signal);
    // The last point where giving up leaves everything as it was; from the first revocation on, the change runs to its end.
    throwIfAborted(signal);
    // Revoked before the commit too: if the session store fails, the password is still the old one and a retry
    // works; revoking only after the commit would leave a changed password with every old session still alive.
    const revoked = await this.deps.sessions.revokeAllForAccount(account.id, now);
    const client = { clientAddress, userAgent };
    const updated = await this.deps.unitOfWork.run(async (scope) => {
      // A password the owner chose replaces any reset under way: its links stop working.
      await scope.tokens.voidAll(account.id, 'reset-password', now);
      const changed = await scope.accounts.update(account.id, { passwordHash }, this.deps.clock.now());
      if (changed === null) return null;
      // In the transaction of the change: the events exist exactly when the new password does.
      const events = [this.securityEvents.build({ type: 'auth.password.changed', accountId: account.id, sessionId: caller?.sessionId ?? null }, client, now)];
      if (revoked > 0) events.push(this.securityEvents.build({ type: 'auth.session.revoked', accountId: account.id, reason: 'password_change', sessionCount: revoked }, client, now));
      await this.securityEvents.recordIn(scope, events);
      return changed;
    });
    if (updated === null) throw accountNotFound();

    const { sessionId, tokens } = await this.tokens.startSession(updated, now, { clientAddress: clientAddress ?? null, userAgent: cleanUserAgent(userAgent) });
    // Again after the commit: a login with the old password racing this change must not keep its session.
    await this.deps.sessions.revokeAllForAccount(account.id, now, sessionId);
    return tokens;
  }
}
