import type { PublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { RegisterUserInput } from '../service/auth-service.types.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { RegisterUser } from './register-user.use-case.js';

export type CreateAdminInput = RegisterUserInput;
export type CreateAdminOutput = PublicProfile;

/**
 * Creates a user account with role ADMIN (and its `user.created` event). The operator's create-admin command
 * calls it; it is deliberately not an RPC, so the first admin never depends on an existing one.
 */
export class CreateAdmin {
  private readonly register: RegisterUser;

  constructor(deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'passwordHasher' | 'clock' | 'ids'>, events: AccountEventFactory, attempts: AttemptLimiter) {
    this.register = new RegisterUser(deps, events, attempts, 'ADMIN');
  }

  execute(input: CreateAdminInput, signal?: AbortSignal, clientAddress?: string): Promise<CreateAdminOutput> {
    return this.register.execute(input, signal, clientAddress);
  }
}
