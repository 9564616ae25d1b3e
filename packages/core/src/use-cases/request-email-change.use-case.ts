import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { normalizeEmail, normalizeLogin } from '../domain/account.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { checkEmail, checkPasswordLength } from '../validation/field.rules.js';
import { requireAccount } from './account-lookup.service.js';
import type { AccountMailer } from './account-mail.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import type { CredentialChecker } from './credential-checker.service.js';

export interface RequestEmailChangeInput {
  id: string;
  newEmail: string;
  currentPassword: string;
}

/**
 * Asks to move the caller's account to `newEmail`: checks the current password (throttled like a login), mails a
 * confirmation link to the new address and a notice to the current one. Nothing changes until ConfirmEmailChange.
 * An address taken by another account answers EMAIL_TAKEN, counted as an identity change (as UpdateUser does), and
 * is checked again when the change is confirmed.
 */
export class RequestEmailChange {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'clock'>,
    private readonly credentials: CredentialChecker,
    private readonly mailer: AccountMailer,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(caller: Caller, input: RequestEmailChangeInput, signal?: AbortSignal, clientAddress?: string): Promise<void> {
    authorizeCaller('RequestEmailChange', caller, input.id);
    const violations = new FieldViolations();
    violations.add('new_email', checkEmail(input.newEmail));
    violations.add('current_password', input.currentPassword === '' ? 'is required' : checkPasswordLength(input.currentPassword));
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    const address = normalizeEmail(input.newEmail);
    if (address === normalizeEmail(account.email)) {
      const same = new FieldViolations();
      same.add('new_email', 'is already the address of this account');
      same.throwIfAny();
    }
    const attempt = await this.credentials.begin(normalizeLogin(account.username), clientAddress, now);
    await attempt.verify(input.currentPassword, account.passwordHash, signal);
    await attempt.succeeded();
    throwIfAborted(signal);

    const change = await this.attempts.identityChange(account.id, now);
    const holder = await change.during(() => this.deps.accounts.findByLogin(address));
    if (holder !== null && holder.id !== account.id && normalizeEmail(holder.email) === address) throw new DomainError('EMAIL_TAKEN');

    const reservation = await change.during(() => this.attempts.mail(account.id, address, now));
    await reservation.during(() =>
      this.deps.unitOfWork.run(async (scope) => {
        const current = requireAccount(await scope.accounts.findById(account.id));
        await this.mailer.sendToken(scope, 'change-email', 'confirm-email-change', current, input.newEmail.trim(), now);
        await this.mailer.sendChangeNotice(scope, current, input.newEmail.trim(), now);
        throwIfAborted(signal);
      }),
    );
  }
}
