import type { PublicProfile, Role, UserAccount } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { RegisterUserInput } from '../service/auth-service.types.js';
import { validateUserRegistration } from '../validation/account-input.rules.js';
import { insertAccountWithEvent } from './account-registration.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';

export type { RegisterUserInput };
export type RegisterUserOutput = PublicProfile;

/**
 * Creates a listener account (role USER) and its `user.created` event. Anyone may call it; each client address may
 * register a limited number of accounts (a registration spends a hash), RATE_LIMITED beyond.
 */
export class RegisterUser {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'passwordHasher' | 'clock' | 'ids'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
    /** CreateAdmin reuses this use case with role ADMIN. */
    private readonly role: Extract<Role, 'USER' | 'ADMIN'> = 'USER',
  ) {}

  async execute(input: RegisterUserInput, signal?: AbortSignal, clientAddress?: string): Promise<RegisterUserOutput> {
    const valid = validateUserRegistration(input, this.deps.passwordHasher.maxPasswordBytes);
    const registration = await this.attempts.registration(clientAddress, this.deps.clock.now());
    const passwordHash = await registration.during(() => this.deps.passwordHasher.hash(valid.password, signal));
    // Read after the hash: the account (and its event's ce_time) dates from its commit, not from a hash tens of ms earlier.
    const now = this.deps.clock.now();
    const account: UserAccount = {
      id: this.deps.ids.uuid(),
      kind: 'user',
      role: this.role,
      username: valid.username,
      email: valid.email,
      passwordHash,
      emailVerifiedAt: null,
      createdAt: now,
      updatedAt: now,
      disabled: null,
      deletedAt: null,
      gender: valid.gender,
      country: valid.country,
      age: valid.age,
    };
    await insertAccountWithEvent(this.deps.unitOfWork, this.events, account, signal);
    return toPublicProfile(account);
  }
}
