import { normalizeEmail } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkEmail } from '../validation/field.rules.js';
import type { AccountMailer } from './account-mail.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface RequestPasswordResetInput {
  email: string;
}

/** The id no account ever has (UUID v7 ids are never nil): the unknown-address path spends the same statements on it. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/**
 * Mails a password-reset link to `email` if it is an account's address, and answers the same either way: the same
 * empty reply, the same limits (counted per address as typed, known or not: RATE_LIMITED after `mailsPerAddress`
 * for both; and per client address, after `passwordResetRequestsPerAddress` whatever it names), the same statements in the unit of work, and no reply before `replyFloorMs` from the start, so neither
 * the answer nor its timing tells whether the address is registered. An unknown address gets no mail.
 *
 * Both paths write `auth.password.reset_requested` in the unit of work (the same statements again): for the account
 * when the address is one, else with no account and the keyed hash of the address (as a failed login carries for an
 * unknown name), so a run of requests on one address correlates without the address being stored.
 */
export class RequestPasswordReset {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'clock'>,
    private readonly mailer: AccountMailer,
    private readonly attempts: AttemptLimiter,
    private readonly replyFloorMs: number,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(input: RequestPasswordResetInput, signal?: AbortSignal, client: EventClient = {}): Promise<void> {
    const started = performance.now();
    const violations = new FieldViolations();
    violations.add('email', checkEmail(input.email));
    violations.throwIfAny();
    try {
      await this.request(input.email, signal, client);
    } finally {
      // On refusals too: RATE_LIMITED for a known and an unknown address take as long.
      const rest = this.replyFloorMs - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }

  private async request(email: string, signal: AbortSignal | undefined, client: EventClient): Promise<void> {
    const now = this.deps.clock.now();
    const address = normalizeEmail(email);
    const reservation = await this.attempts.passwordResetRequest(client.clientAddress, address, now);
    const found = await reservation.during(() => this.deps.accounts.findByLogin(address));
    // findByLogin also matches usernames: only an account whose address this is counts.
    const owner = found !== null && normalizeEmail(found.email) === address ? found : null;
    throwIfAborted(signal);
    await reservation.during(() =>
      this.deps.unitOfWork.run(async (scope) => {
        const current = await scope.accounts.findById(owner?.id ?? NO_ACCOUNT);
        // A deleted account awaiting erasure is mailed nothing, as an unknown address.
        const known = current !== null && current.deletedAt === null && normalizeEmail(current.email) === address;
        const requested = known
          ? { type: 'auth.password.reset_requested' as const, accountId: current.id }
          : { type: 'auth.password.reset_requested' as const, loginHash: this.securityEvents.loginHash(address) };
        await this.securityEvents.recordIn(scope, [this.securityEvents.build(requested, client, now)]);
        if (!known) {
          await scope.tokens.voidAll(NO_ACCOUNT, 'reset-password', now);
          return;
        }
        await this.mailer.sendToken(scope, 'reset-password', 'reset-password', current, current.email, now);
      }),
    );
  }
}
